package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.Optional;

/** Pod readiness and availability, as upstream's {@code podutil} reads them. */
public final class PodConditions {
  private PodConditions() {}

  /** Neither finished (Succeeded/Failed) nor being deleted: upstream's {@code IsPodActive}. */
  public static boolean isActive(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase) && pod.getMetadata().getDeletionTimestamp() == null;
  }

  public static Optional<PodCondition> ready(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  public static boolean isReady(Pod pod) {
    return ready(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** When the pod last became ready, if it is ready and says so. */
  public static Optional<Instant> readySince(Pod pod) {
    return ready(pod).filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()));
  }

  /** Ready for at least {@code minReadySeconds} at {@code now}: upstream's {@code IsPodAvailable}. */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isReady(pod)) {
      return false;
    }
    if (minReadySeconds == 0) {
      return true;
    }
    return readySince(pod).map(t -> !t.plusSeconds(minReadySeconds).isAfter(now)).orElse(false);
  }
}
