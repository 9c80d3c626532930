package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Map;

/**
 * Upstream's {@code recreate.go}: scale every old ReplicaSet to zero, wait until no old pod runs,
 * then create (or scale up) the new ReplicaSet to the full count.
 */
final class Recreate {
  private Recreate() {}

  /** @param podsByReplicaSetUid the pods each of the Deployment's ReplicaSets controls */
  static void run(Rollout r, Map<String, List<Pod>> podsByReplicaSetUid) {
    Rollout.Sets sets = r.sets(false);
    boolean scaledDown = false;
    for (ReplicaSet old : ProportionalScaling.active(sets.old())) {
      scaledDown |= r.scale(old, 0);
    }
    if (scaledDown || oldPodsRunning(sets, podsByReplicaSetUid)) {
      RolloutProgress.sync(r, sets);
      return;
    }
    if (sets.newRs() == null) {
      sets = r.sets(true);
    }
    r.scale(sets.newRs(), ReplicaMath.replicas(r.d));
    if (r.d.getStatus() != null && DeploymentStatuses.complete(r.d, r.d.getStatus())) {
      r.cleanup(sets.old());
    }
    RolloutProgress.sync(r, sets);
  }

  private static boolean oldPodsRunning(Rollout.Sets sets, Map<String, List<Pod>> pods) {
    if (ReplicaMath.actualSum(sets.old()) > 0) {
      return true;
    }
    String newUid = sets.newRs() == null ? null : sets.newRs().getMetadata().getUid();
    for (var e : pods.entrySet()) {
      if (e.getKey().equals(newUid)) {
        continue;
      }
      for (Pod p : e.getValue()) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
          return true;
        }
      }
    }
    return false;
  }
}
