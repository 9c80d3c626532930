package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's {@code isScalingEvent} and {@code scale}: when only {@code spec.replicas} changed,
 * resize the active ReplicaSets in proportion to their sizes (mid-rollout), or resize the one
 * active ReplicaSet, without starting a new rollout.
 */
final class ProportionalScaling {
  private ProportionalScaling() {}

  static List<ReplicaSet> active(List<ReplicaSet> rss) {
    return rss.stream().filter(r -> r != null && ReplicaMath.replicas(r) > 0).toList();
  }

  /** Some active ReplicaSet was sized for a different desired count than the Deployment has now. */
  static boolean isScalingEvent(Rollout r, Rollout.Sets sets) {
    for (ReplicaSet rs : active(sets.all())) {
      Integer desired = Revisions.desiredReplicas(rs);
      if (desired != null && desired != ReplicaMath.replicas(r.d)) {
        return true;
      }
    }
    return false;
  }

  static void scale(Rollout r, Rollout.Sets sets) {
    var d = r.d;
    int want = ReplicaMath.replicas(d);
    ReplicaSet activeOrLatest = activeOrLatest(sets);
    if (activeOrLatest != null) {
      if (ReplicaMath.replicas(activeOrLatest) != want) {
        r.scale(activeOrLatest, want);
      }
      return;
    }
    ReplicaSet newRs = sets.newRs();
    if (newRs != null && Integer.valueOf(want).equals(Revisions.desiredReplicas(newRs))
        && ReplicaMath.available(newRs) == want && ReplicaMath.replicas(newRs) == want) {
      // the new ReplicaSet is saturated: the old ones go to zero
      for (ReplicaSet old : active(sets.old())) {
        r.scale(old, 0);
      }
      return;
    }
    if (!ReplicaMath.isRollingUpdate(d)) {
      return;
    }
    List<ReplicaSet> all = new ArrayList<>(active(sets.all()));
    int allowed = want > 0 ? want + ReplicaMath.maxSurge(d) : 0;
    int toAdd = allowed - ReplicaMath.specSum(all);
    String operation = "";
    Comparator<ReplicaSet> bySize = Comparator.<ReplicaSet>comparingInt(ReplicaMath::replicas).reversed();
    if (toAdd > 0) {
      // larger first; among equals, newer first when scaling up
      all.sort(bySize.thenComparing(Rollout.BY_CREATION.reversed()));
      operation = "up";
    } else if (toAdd < 0) {
      all.sort(bySize.thenComparing(Rollout.BY_CREATION));
      operation = "down";
    }
    int added = 0;
    Map<String, Integer> sizes = new HashMap<>();
    for (ReplicaSet rs : all) {
      int p = toAdd != 0 ? ReplicaMath.proportion(rs, d, toAdd, added) : 0;
      sizes.put(rs.getMetadata().getName(), ReplicaMath.replicas(rs) + p);
      added += p;
    }
    for (int i = 0; i < all.size(); i++) {
      ReplicaSet rs = all.get(i);
      String name = rs.getMetadata().getName();
      if (i == 0 && toAdd != 0) {
        sizes.put(name, Math.max(0, sizes.get(name) + toAdd - added)); // leftovers go to the largest
      }
      r.scale(rs, sizes.get(name), operation);
    }
  }

  /** Upstream's {@code FindActiveOrLatest}: the one active ReplicaSet, or the newest when none is active. */
  private static ReplicaSet activeOrLatest(Rollout.Sets sets) {
    if (sets.newRs() == null && sets.old().isEmpty()) {
      return null;
    }
    List<ReplicaSet> active = active(sets.all());
    if (active.size() == 1) {
      return active.getFirst();
    }
    if (active.isEmpty()) {
      if (sets.newRs() != null) {
        return sets.newRs();
      }
      return sets.old().stream().max(Rollout.BY_CREATION).orElse(null);
    }
    return null;
  }
}
