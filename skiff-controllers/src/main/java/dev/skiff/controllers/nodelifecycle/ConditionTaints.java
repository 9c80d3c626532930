package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The taints that follow a node's Ready condition, as upstream's NoExecute and NoSchedule
 * tainting passes: {@code node.kubernetes.io/not-ready} while Ready is False,
 * {@code node.kubernetes.io/unreachable} while it is Unknown, each with effects NoSchedule and
 * NoExecute (the NoExecute one stamped with timeAdded), none while it is True; and, as upstream's
 * NoSchedule pass, a NoSchedule taint for each of MemoryPressure, DiskPressure, PIDPressure and
 * NetworkUnavailable that is True and for {@code spec.unschedulable} (cordon). Other taints stay as
 * they are.
 */
final class ConditionTaints {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  /** Conditions that add a NoSchedule taint while True, and the taint's key. */
  static final Map<String, String> TRUE_CONDITION_TAINTS = Map.of(
      "MemoryPressure", "node.kubernetes.io/memory-pressure",
      "DiskPressure", "node.kubernetes.io/disk-pressure",
      "PIDPressure", "node.kubernetes.io/pid-pressure",
      "NetworkUnavailable", "node.kubernetes.io/network-unavailable");

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

  /**
   * {@code current} with the NoSchedule taints of the pressure conditions and of cordoning made to
   * match {@code trueConditions} (the types whose status is True) and {@code unschedulable}.
   */
  static List<Taint> reconcileNoSchedule(List<Taint> current, Set<String> trueConditions, boolean unschedulable) {
    List<String> wanted = new ArrayList<>();
    TRUE_CONDITION_TAINTS.forEach((condition, key) -> {
      if (trueConditions.contains(condition)) {
        wanted.add(key);
      }
    });
    if (unschedulable) {
      wanted.add(UNSCHEDULABLE);
    }
    List<Taint> out = new ArrayList<>();
    for (Taint t : current) {
      boolean ours = "NoSchedule".equals(t.getEffect())
          && (UNSCHEDULABLE.equals(t.getKey()) || TRUE_CONDITION_TAINTS.containsValue(t.getKey()));
      if (!ours || wanted.contains(t.getKey())) {
        out.add(t);
      }
    }
    wanted.stream().sorted().forEach(key -> {
      if (out.stream().noneMatch(t -> key.equals(t.getKey()) && "NoSchedule".equals(t.getEffect()))) {
        out.add(new TaintBuilder().withKey(key).withEffect("NoSchedule").build());
      }
    });
    return out;
  }
}
