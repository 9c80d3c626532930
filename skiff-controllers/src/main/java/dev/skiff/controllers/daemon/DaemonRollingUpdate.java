package dev.skiff.controllers.daemon;

import dev.skiff.controllers.base.PodConditions;
import dev.skiff.controllers.deployment.ReplicaMath;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Upstream's DaemonSet {@code rollingUpdate} ({@code daemon/update.go}) as a pure plan. Without
 * surge, old pods are deleted (their node gets a new pod from the next manage pass) while fewer
 * than {@code maxUnavailable} nodes are unavailable; an old pod that is unavailable anyway is
 * replaced at once. With surge, a new pod is created beside the old one on up to {@code maxSurge}
 * nodes, and the old one is deleted once the new one is available.
 */
final class DaemonRollingUpdate {
  /** Old pods to delete and nodes that get a new pod now. */
  record Plan(List<Pod> delete, List<String> create) {
    static final Plan NOTHING = new Plan(List.of(), List.of());
  }

  /** maxSurge and maxUnavailable resolved against the desired node count. */
  record Budget(int maxSurge, int maxUnavailable) {}

  /** The new and the old pod of one node; {@code ok} is false when a node has two of either (manage cleans it up first). */
  private record NodePods(Pod newPod, Pod oldPod, boolean ok) {}

  private DaemonRollingUpdate() {}

  /** Upstream's {@code updatedDesiredNodeCounts}: percentages round up; 0 and 0 means unavailable 1. */
  static Budget budget(DaemonSet ds, int desired) {
    var rolling = ds.getSpec().getUpdateStrategy() == null ? null : ds.getSpec().getUpdateStrategy().getRollingUpdate();
    IntOrString surge = rolling == null ? null : rolling.getMaxSurge();
    IntOrString unavailable = rolling == null ? null : rolling.getMaxUnavailable();
    int maxSurge = surge == null ? 0 : ReplicaMath.scaled(surge, desired, true);
    int maxUnavailable = unavailable == null ? 1 : ReplicaMath.scaled(unavailable, desired, true);
    if (desired > 0 && maxSurge == 0 && maxUnavailable == 0) {
      maxUnavailable = 1;
    }
    return new Budget(maxSurge, maxUnavailable);
  }

  /**
   * @param nodeToPods every node's daemon pods, with an empty list for each node that should run one but has none
   */
  static Plan plan(DaemonSet ds, SortedMap<String, List<Pod>> nodeToPods, Budget budget, String hash, Instant now) {
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    return budget.maxSurge() == 0 ? withoutSurge(nodeToPods, budget.maxUnavailable(), hash, minReady, now)
        : withSurge(nodeToPods, budget.maxSurge(), hash, minReady, now);
  }

  private static Plan withoutSurge(Map<String, List<Pod>> nodeToPods, int maxUnavailable, String hash, int minReady,
      Instant now) {
    int unavailable = 0;
    List<Pod> replaceNow = new ArrayList<>();
    List<Pod> candidates = new ArrayList<>();
    for (List<Pod> pods : nodeToPods.values()) {
      NodePods p = split(pods, hash);
      if (!p.ok() || (p.newPod() == null) == (p.oldPod() == null)) {
        unavailable++; // none yet, or both: the manage pass creates or deletes first
      } else if (p.newPod() != null) {
        if (!PodConditions.isAvailable(p.newPod(), minReady, now)) {
          unavailable++;
        }
      } else if (!PodConditions.isAvailable(p.oldPod(), minReady, now)) {
        replaceNow.add(p.oldPod()); // unavailable already: replacing it costs nothing
      } else if (unavailable < maxUnavailable) {
        candidates.add(p.oldPod());
      }
    }
    int remaining = Math.clamp(maxUnavailable - unavailable, 0, candidates.size());
    List<Pod> delete = new ArrayList<>(replaceNow);
    delete.addAll(candidates.subList(0, remaining));
    return new Plan(delete, List.of());
  }

  private static Plan withSurge(Map<String, List<Pod>> nodeToPods, int maxSurge, String hash, int minReady, Instant now) {
    int surged = 0;
    List<String> createNow = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    List<Pod> delete = new ArrayList<>();
    for (var e : nodeToPods.entrySet()) {
      NodePods p = split(e.getValue(), hash);
      if (!p.ok()) {
        surged++; // the manage pass cleans this node up; count it against the surge
      } else if (p.oldPod() == null) {
        continue; // nothing to replace; the manage pass creates a missing pod
      } else if (p.newPod() == null) {
        if (!PodConditions.isAvailable(p.oldPod(), minReady, now)) {
          createNow.add(e.getKey());
        } else if (surged < maxSurge) {
          candidates.add(e.getKey());
        }
      } else if (!PodConditions.isAvailable(p.newPod(), minReady, now)) {
        surged++; // waiting for the new pod to become available
      } else {
        delete.add(p.oldPod());
      }
    }
    int remaining = Math.clamp(maxSurge - surged, 0, candidates.size());
    createNow.addAll(candidates.subList(0, remaining));
    return new Plan(delete, createNow);
  }

  /** Upstream's {@code findUpdatedPodsOnNode}, ignoring pods being deleted. */
  private static NodePods split(List<Pod> pods, String hash) {
    Pod newPod = null;
    Pod oldPod = null;
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (DaemonPods.isUpdated(pod, hash)) {
        if (newPod != null) {
          return new NodePods(null, null, false);
        }
        newPod = pod;
      } else {
        if (oldPod != null) {
          return new NodePods(null, null, false);
        }
        oldPod = pod;
      }
    }
    return new NodePods(newPod, oldPod, true);
  }
}
