package dev.skiff.controllers;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of the controller manager.
 *
 * @param controllers the names of the controllers to run ({@link ControllerRegistry#names()} for all)
 * @param workers concurrent reconciles per controller (upstream's {@code --concurrent-*-syncs}, default 5)
 * @param leaderElect whether to hold the {@code kube-system/kube-controller-manager} Lease before running
 * @param identity this instance's holder identity in the Lease
 * @param leaseDuration, renewDeadline, retryPeriod upstream's leader-election timings (15 s, 10 s, 2 s)
 */
public record ControllerManagerConfig(Set<String> controllers, int workers, boolean leaderElect, String identity,
    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
  public ControllerManagerConfig {
    controllers = Set.copyOf(controllers);
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(renewDeadline, "renewDeadline");
    Objects.requireNonNull(retryPeriod, "retryPeriod");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be positive: " + workers);
    }
  }

  /** Every controller, five workers each, leader election with upstream's timings. */
  public static ControllerManagerConfig defaults(String identity) {
    return new ControllerManagerConfig(ControllerRegistry.names(), 5, true, identity, Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2));
  }
}
