package dev.skiff.controllers.nodelifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the node lifecycle controller (upstream's {@code --node-monitor-grace-period}
 * and {@code --node-monitor-period}).
 *
 * @param gracePeriod how long a node may go without renewing its Lease or posting status before
 *     its conditions turn Unknown (upstream: 40 s)
 * @param monitorPeriod how often every node is checked (upstream: 5 s)
 */
public record NodeLifecycleConfig(Duration gracePeriod, Duration monitorPeriod) {
  public NodeLifecycleConfig {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Objects.requireNonNull(monitorPeriod, "monitorPeriod");
    if (gracePeriod.isNegative() || gracePeriod.isZero() || monitorPeriod.isNegative() || monitorPeriod.isZero()) {
      throw new IllegalArgumentException("gracePeriod and monitorPeriod must be positive");
    }
  }

  public static NodeLifecycleConfig defaults() {
    return new NodeLifecycleConfig(Duration.ofSeconds(40), Duration.ofSeconds(5));
  }
}
