package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's {@code rolling.go}: scale the new ReplicaSet up within maxSurge, then the old ones
 * down within maxUnavailable, unhealthy replicas first; clean up history once complete.
 */
final class RollingUpdate {
  private RollingUpdate() {}

  static void run(Rollout r) {
    Rollout.Sets sets = r.sets(true);
    if (reconcileNew(r, sets) || reconcileOld(r, sets)) {
      RolloutProgress.sync(r, sets);
      return;
    }
    if (r.d.getStatus() != null && DeploymentStatuses.complete(r.d, r.d.getStatus())) {
      r.cleanup(sets.old());
    }
    RolloutProgress.sync(r, sets);
  }

  private static boolean reconcileNew(Rollout r, Rollout.Sets sets) {
    ReplicaSet newRs = sets.newRs();
    int want = ReplicaMath.replicas(r.d);
    if (ReplicaMath.replicas(newRs) == want) {
      return false;
    }
    if (ReplicaMath.replicas(newRs) > want) {
      return r.scale(newRs, want);
    }
    return r.scale(newRs, ReplicaMath.newReplicaSetReplicas(r.d, sets.all(), newRs));
  }

  private static boolean reconcileOld(Rollout r, Rollout.Sets sets) {
    List<ReplicaSet> old = ProportionalScaling.active(sets.old());
    if (ReplicaMath.specSum(old) == 0) {
      return false;
    }
    ReplicaSet newRs = sets.newRs();
    int minAvailable = ReplicaMath.replicas(r.d) - ReplicaMath.maxUnavailable(r.d);
    int newUnavailable = ReplicaMath.replicas(newRs) - ReplicaMath.available(newRs);
    int maxScaledDown = ReplicaMath.specSum(sets.all()) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    int cleaned = cleanupUnhealthy(r, old, maxScaledDown);
    List<ReplicaSet> all = new ArrayList<>(old);
    all.add(newRs);
    int scaledDown = scaleDownOld(r, all, old, minAvailable);
    return cleaned + scaledDown > 0;
  }

  /** Scales old ReplicaSets down by their unavailable replicas first, oldest first, up to {@code max}. */
  private static int cleanupUnhealthy(Rollout r, List<ReplicaSet> old, int max) {
    List<ReplicaSet> sorted = new ArrayList<>(old);
    sorted.sort(Rollout.BY_CREATION);
    int total = 0;
    for (ReplicaSet rs : sorted) {
      if (total >= max) {
        break;
      }
      int size = ReplicaMath.replicas(rs);
      if (size == 0 || size == ReplicaMath.available(rs)) {
        continue;
      }
      int down = Math.min(max - total, size - ReplicaMath.available(rs));
      r.scale(rs, size - down);
      total += down;
    }
    return total;
  }

  /** Scales old ReplicaSets down, oldest first, as far as availability above minAvailable allows. */
  private static int scaleDownOld(Rollout r, List<ReplicaSet> all, List<ReplicaSet> old, int minAvailable) {
    int available = ReplicaMath.availableSum(all);
    if (available <= minAvailable) {
      return 0;
    }
    List<ReplicaSet> sorted = new ArrayList<>(old);
    sorted.sort(Rollout.BY_CREATION);
    int budget = available - minAvailable;
    int total = 0;
    for (ReplicaSet rs : sorted) {
      if (total >= budget) {
        break;
      }
      int size = ReplicaMath.replicas(rs);
      if (size == 0) {
        continue;
      }
      int down = Math.min(size, budget - total);
      r.scale(rs, size - down);
      total += down;
    }
    return total;
  }
}
