package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The taints that follow a node's Ready condition, as upstream's NoExecute and NoSchedule
 * tainting passes: {@code node.kubernetes.io/not-ready} while Ready is False,
 * {@code node.kubernetes.io/unreachable} while it is Unknown, each with effects NoSchedule and
 * NoExecute (the NoExecute one stamped with timeAdded), none while it is True. Other taints stay
 * as they are. (Upstream also taints for memory, disk and PID pressure; Skiff does not yet.)
 */
final class ConditionTaints {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  private ConditionTaints() {}

  /** {@code current} with the condition taints made to match {@code readyStatus}. */
  static List<Taint> reconcile(List<Taint> current, String readyStatus, Instant now) {
    String wanted = switch (readyStatus) {
      case "True" -> null;
      case "False" -> NOT_READY;
      default -> UNREACHABLE;
    };
    List<Taint> out = new ArrayList<>();
    for (Taint t : current) {
      boolean ours = NOT_READY.equals(t.getKey()) || UNREACHABLE.equals(t.getKey());
      boolean ourEffect = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
      if (!ours || !ourEffect || t.getKey().equals(wanted)) {
        out.add(t);
      }
    }
    if (wanted != null) {
      for (String effect : List.of("NoSchedule", "NoExecute")) {
        if (out.stream().noneMatch(t -> wanted.equals(t.getKey()) && effect.equals(t.getEffect()))) {
          TaintBuilder taint = new TaintBuilder().withKey(wanted).withEffect(effect);
          if (effect.equals("NoExecute")) {
            taint.withTimeAdded(DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
          }
          out.add(taint.build());
        }
      }
    }
    return out;
  }
}
