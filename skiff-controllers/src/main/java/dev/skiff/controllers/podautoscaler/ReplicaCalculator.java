package dev.skiff.controllers.podautoscaler;

/**
 * Upstream's replica arithmetic for a utilization target ({@code replica_calculator.go}): the
 * usage ratio is current over target utilization; within the tolerance of 1 the replica count
 * stays, otherwise it becomes {@code ceil(ratio * current)}. Stateless.
 */
public final class ReplicaCalculator {
  /** Upstream's default {@code --horizontal-pod-autoscaler-tolerance}. */
  public static final double TOLERANCE = 0.1;

  private ReplicaCalculator() {}

  public static int desired(int currentReplicas, double currentPercent, double targetPercent) {
    if (targetPercent <= 0) {
      throw new IllegalArgumentException("target utilization must be positive: " + targetPercent);
    }
    double ratio = currentPercent / targetPercent;
    if (Math.abs(1.0 - ratio) <= TOLERANCE) {
      return currentReplicas;
    }
    return (int) Math.ceil(ratio * currentReplicas);
  }
}
