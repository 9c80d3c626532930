package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The delay before a Job replaces failed pods, as upstream's {@code backoffRecord}: after n
 * consecutive failures since the last success it waits {@code base * 2^(n-1)}, at most
 * {@code max}, counted from the last failure.
 *
 * @param base upstream's {@code DefaultJobPodFailureBackOff} (10 s)
 * @param max upstream's {@code MaxJobPodFailureBackOff} (10 min)
 */
public record FailureBackoff(Duration base, Duration max) {
  public static final FailureBackoff UPSTREAM = new FailureBackoff(Duration.ofSeconds(10), Duration.ofMinutes(10));

  public FailureBackoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
  }

  /** How long to wait at {@code now} before creating pods, given the Job's finished pods; zero when no wait. */
  public Duration remaining(List<Pod> finished, Instant now) {
    List<Pod> byFinish = finished.stream().sorted(Comparator.comparing(p -> finishTime(p, now))).toList();
    int failures = 0;
    Instant last = null;
    for (Pod p : byFinish) {
      if ("Succeeded".equals(p.getStatus().getPhase())) {
        failures = 0;
        last = null;
      } else {
        failures++;
        last = finishTime(p, now);
      }
    }
    if (failures == 0) {
      return Duration.ZERO;
    }
    Duration delay = base.multipliedBy(1L << Math.min(failures - 1, 30));
    if (delay.compareTo(max) > 0 || delay.isNegative()) {
      delay = max;
    }
    Duration left = Duration.between(now, last.plus(delay));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The latest container finish time, else the last status change, else {@code now}: upstream's {@code getFinishedTime}. */
  static Instant finishTime(Pod pod, Instant now) {
    Optional<Instant> containers = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? Optional.empty()
        : pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getState)
            .filter(s -> s != null && s.getTerminated() != null && s.getTerminated().getFinishedAt() != null)
            .map(s -> Instant.parse(s.getTerminated().getFinishedAt())).max(Comparator.naturalOrder());
    if (containers.isPresent()) {
      return containers.get();
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return Instant.parse(pod.getMetadata().getDeletionTimestamp());
    }
    return now;
  }
}
