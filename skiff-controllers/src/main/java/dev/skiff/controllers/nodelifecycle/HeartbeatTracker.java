package dev.skiff.controllers.nodelifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each node was last seen alive, by this controller's own clock (upstream's
 * {@code nodeHealthData.probeTimestamp}): a node is alive when its Lease's renewTime or its Ready
 * condition's lastHeartbeatTime changed since the last look. Comparing what the node wrote with
 * what it wrote before, rather than its timestamps with this clock, keeps clock skew between
 * node and controller out of it. A node first seen gets the full grace period. Thread-safe.
 */
final class HeartbeatTracker {
  private record Seen(String leaseRenewTime, String readyHeartbeat, Instant probe) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /** Records what {@code node} last wrote and returns when it was last seen alive. */
  Instant observe(String node, String leaseRenewTime, String readyHeartbeat, Instant now) {
    return seen.compute(node, (name, old) -> {
      if (old == null || !Objects.equals(old.leaseRenewTime(), leaseRenewTime)
          || !Objects.equals(old.readyHeartbeat(), readyHeartbeat)) {
        return new Seen(leaseRenewTime, readyHeartbeat, now);
      }
      return old;
    }).probe();
  }

  void forget(String node) {
    seen.remove(node);
  }
}
