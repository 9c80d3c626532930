package dev.skiff.controllers;

import dev.skiff.controllers.nodeipam.NodeIpamConfig;
import dev.skiff.controllers.nodelifecycle.NodeLifecycleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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
 * @param nodeIpam the node IPAM controller's cluster CIDR and node mask size
 * @param nodeLifecycle the node lifecycle controller's grace period and monitor period
 * @param serviceAccountKeyFile the API server's service account key (upstream's
 *     {@code --service-account-private-key-file}), for the token controller; empty: no legacy tokens
 */
public record ControllerManagerConfig(Set<String> controllers, int workers, boolean leaderElect, String identity,
    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, NodeIpamConfig nodeIpam,
    NodeLifecycleConfig nodeLifecycle, Optional<Path> serviceAccountKeyFile) {
  public ControllerManagerConfig {
    Objects.requireNonNull(serviceAccountKeyFile, "serviceAccountKeyFile");
    Objects.requireNonNull(nodeIpam, "nodeIpam");
    Objects.requireNonNull(nodeLifecycle, "nodeLifecycle");
    controllers = Set.copyOf(controllers);
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(renewDeadline, "renewDeadline");
    Objects.requireNonNull(retryPeriod, "retryPeriod");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be positive: " + workers);
    }
  }

  /** The configuration with the node controllers' defaults ({@link NodeIpamConfig#defaults()}, {@link NodeLifecycleConfig#defaults()}). */
  public ControllerManagerConfig(Set<String> controllers, int workers, boolean leaderElect, String identity,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    this(controllers, workers, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod,
        NodeIpamConfig.defaults(), NodeLifecycleConfig.defaults(), Optional.empty());
  }

  public ControllerManagerConfig withNodeIpam(NodeIpamConfig ipam) {
    return new ControllerManagerConfig(controllers, workers, leaderElect, identity, leaseDuration, renewDeadline,
        retryPeriod, ipam, nodeLifecycle, serviceAccountKeyFile);
  }

  public ControllerManagerConfig withNodeLifecycle(NodeLifecycleConfig lifecycle) {
    return new ControllerManagerConfig(controllers, workers, leaderElect, identity, leaseDuration, renewDeadline,
        retryPeriod, nodeIpam, lifecycle, serviceAccountKeyFile);
  }

  public ControllerManagerConfig withServiceAccountKeyFile(Path keyFile) {
    return new ControllerManagerConfig(controllers, workers, leaderElect, identity, leaseDuration, renewDeadline,
        retryPeriod, nodeIpam, nodeLifecycle, Optional.of(keyFile));
  }

  /** Every controller, five workers each, leader election with upstream's timings. */
  public static ControllerManagerConfig defaults(String identity) {
    return new ControllerManagerConfig(ControllerRegistry.names(), 5, true, identity, Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2));
  }
}
