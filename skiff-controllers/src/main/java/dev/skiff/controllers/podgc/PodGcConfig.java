package dev.skiff.controllers.podgc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the pod garbage collector.
 *
 * @param terminatedPodThreshold finished pods kept before the oldest are deleted (upstream's
 *     {@code --terminated-pod-gc-threshold}, 12500); 0 or less keeps them all
 * @param period how often it looks (upstream's {@code gcCheckPeriod}, 20 s)
 * @param quarantine how long a pod's node must stay missing before its pods go (upstream's
 *     {@code quarantineTime}, 40 s), so a node that is being re-registered is not mistaken for gone
 */
public record PodGcConfig(int terminatedPodThreshold, Duration period, Duration quarantine) {
  public static final PodGcConfig UPSTREAM = new PodGcConfig(12_500, Duration.ofSeconds(20), Duration.ofSeconds(40));

  public PodGcConfig {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(quarantine, "quarantine");
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
  }
}
