package dev.skiff.controllers.daemon;

import dev.skiff.controllers.base.PodConditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A DaemonSet's status, as upstream's {@code updateDaemonSetStatus}: per node that should run a
 * pod, whether it has one and whether its oldest pod is ready, available and updated; pods on
 * nodes that should not run one are misscheduled.
 */
final class DaemonSetStatuses {
  /** Oldest first; upstream's {@code podByCreationTimestampAndPhase} puts older pods first. */
  static final Comparator<Pod> OLDEST_FIRST = Comparator
      .comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
      .thenComparing(p -> p.getMetadata().getName());

  private DaemonSetStatuses() {}

  static DaemonSetStatus calculate(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> nodeToPods, String hash,
      int collisionCount, Instant now) {
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    int desired = 0;
    int current = 0;
    int misscheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    for (Node node : nodes) {
      List<Pod> pods = nodeToPods.getOrDefault(node.getMetadata().getName(), List.of());
      if (!NodeEligibility.of(node, ds).shouldRun()) {
        misscheduled += pods.isEmpty() ? 0 : 1;
        continue;
      }
      desired++;
      if (pods.isEmpty()) {
        continue;
      }
      current++;
      Pod pod = pods.stream().min(OLDEST_FIRST).orElseThrow();
      if (PodConditions.isReady(pod)) {
        ready++;
        available += PodConditions.isAvailable(pod, minReady, now) ? 1 : 0;
      }
      updated += DaemonPods.isUpdated(pod, hash) ? 1 : 0;
    }
    return new DaemonSetStatusBuilder().withObservedGeneration(ds.getMetadata().getGeneration())
        .withDesiredNumberScheduled(desired).withCurrentNumberScheduled(current).withNumberMisscheduled(misscheduled)
        .withNumberReady(ready).withNumberAvailable(available).withNumberUnavailable(desired - available)
        .withUpdatedNumberScheduled(updated).withCollisionCount(collisionCount)
        .withConditions(ds.getStatus() == null ? null : ds.getStatus().getConditions()).build();
  }

  /** Equal as the API sees it: absent counts are zero. */
  static boolean same(DaemonSetStatus a, DaemonSetStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return n(a.getDesiredNumberScheduled()) == n(b.getDesiredNumberScheduled())
        && n(a.getCurrentNumberScheduled()) == n(b.getCurrentNumberScheduled())
        && n(a.getNumberMisscheduled()) == n(b.getNumberMisscheduled()) && n(a.getNumberReady()) == n(b.getNumberReady())
        && n(a.getNumberAvailable()) == n(b.getNumberAvailable()) && n(a.getNumberUnavailable()) == n(b.getNumberUnavailable())
        && n(a.getUpdatedNumberScheduled()) == n(b.getUpdatedNumberScheduled())
        && n(a.getCollisionCount()) == n(b.getCollisionCount())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration());
  }

  private static long n(Number v) {
    return v == null ? 0 : v.longValue();
  }
}
