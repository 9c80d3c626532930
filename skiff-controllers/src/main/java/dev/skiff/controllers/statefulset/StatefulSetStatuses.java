package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.base.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

/**
 * A StatefulSet's status from its pods, as upstream's {@code computeReplicaStatus} and
 * {@code completeRollingUpdate}: created pods, ready, available (ready for minReadySeconds), and how
 * many are at the current and at the update revision; once every pod is updated and ready under
 * RollingUpdate, the update revision becomes the current one.
 */
final class StatefulSetStatuses {
  private StatefulSetStatuses() {}

  static StatefulSetStatus calculate(StatefulSet set, Collection<Pod> pods, String currentRevision,
      String updateRevision, int collisionCount, Instant now) {
    int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    int replicas = 0;
    int ready = 0;
    int available = 0;
    int current = 0;
    int updated = 0;
    for (Pod p : pods) {
      replicas++;
      if (isRunningAndReady(p)) {
        ready++;
        if (PodConditions.isAvailable(p, minReady, now)) {
          available++;
        }
      }
      if (p.getMetadata().getDeletionTimestamp() == null) {
        String revision = StatefulIdentity.revisionOf(p);
        current += revision.equals(currentRevision) ? 1 : 0;
        updated += revision.equals(updateRevision) ? 1 : 0;
      }
    }
    String currentName = currentRevision;
    boolean rolling = set.getSpec().getUpdateStrategy() == null
        || !"OnDelete".equals(set.getSpec().getUpdateStrategy().getType());
    if (rolling && updated == replicas && ready == replicas) {
      current = updated;
      currentName = updateRevision;
    }
    return new StatefulSetStatusBuilder().withObservedGeneration(set.getMetadata().getGeneration())
        .withReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(available)
        .withCurrentReplicas(current).withUpdatedReplicas(updated)
        .withCurrentRevision(currentName).withUpdateRevision(updateRevision).withCollisionCount(collisionCount)
        .withConditions(set.getStatus() == null ? null : set.getStatus().getConditions()).build();
  }

  /** Phase Running and condition Ready: upstream's {@code isRunningAndReady}. */
  static boolean isRunningAndReady(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && PodConditions.isReady(p);
  }

  /** Equal as the API sees it: absent counts are zero. */
  static boolean same(StatefulSetStatus a, StatefulSetStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return n(a.getReplicas()) == n(b.getReplicas()) && n(a.getReadyReplicas()) == n(b.getReadyReplicas())
        && n(a.getAvailableReplicas()) == n(b.getAvailableReplicas()) && n(a.getCurrentReplicas()) == n(b.getCurrentReplicas())
        && n(a.getUpdatedReplicas()) == n(b.getUpdatedReplicas()) && n(a.getCollisionCount()) == n(b.getCollisionCount())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getCurrentRevision(), b.getCurrentRevision())
        && Objects.equals(a.getUpdateRevision(), b.getUpdateRevision());
  }

  private static long n(Number v) {
    return v == null ? 0 : v.longValue();
  }
}
