package dev.skiff.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conditions of one HPA status being written: set by type, keeping a condition's
 * lastTransitionTime while its status stays, in upstream's order (AbleToScale, ScalingActive,
 * ScalingLimited). Not thread-safe: one per reconcile.
 */
final class HpaConditions {
  private final Map<String, HorizontalPodAutoscalerCondition> previous = new LinkedHashMap<>();
  private final Map<String, HorizontalPodAutoscalerCondition> current = new LinkedHashMap<>();
  private final String now;

  HpaConditions(List<HorizontalPodAutoscalerCondition> old, Instant now) {
    if (old != null) {
      old.forEach(c -> previous.put(c.getType(), c));
    }
    this.now = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    // conditions this sync does not touch stay as they were, as upstream's status update keeps them
    current.putAll(previous);
  }

  void set(String type, String status, String reason, String message) {
    HorizontalPodAutoscalerCondition old = previous.get(type);
    String since = old != null && Objects.equals(old.getStatus(), status) ? old.getLastTransitionTime() : now;
    current.put(type, new HorizontalPodAutoscalerConditionBuilder().withType(type).withStatus(status)
        .withReason(reason).withMessage(message).withLastTransitionTime(since).build());
  }

  /** Whether {@code type} now has a different reason than before (an event is worth sending). */
  boolean changed(String type) {
    HorizontalPodAutoscalerCondition old = previous.get(type);
    HorizontalPodAutoscalerCondition cur = current.get(type);
    return cur != null && (old == null || !Objects.equals(old.getReason(), cur.getReason()));
  }

  List<HorizontalPodAutoscalerCondition> list() {
    List<HorizontalPodAutoscalerCondition> out = new ArrayList<>();
    for (String type : List.of("AbleToScale", "ScalingActive", "ScalingLimited")) {
      if (current.containsKey(type)) {
        out.add(current.get(type));
      }
    }
    return out;
  }
}
