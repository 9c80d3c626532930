package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The annotations a Deployment keeps on its ReplicaSets (upstream's {@code deployment/util}):
 * the revision and its history, desired and max replicas for proportional scaling, and the
 * Deployment's own annotations copied down. Functions change the objects they are given, which
 * must be the caller's own copies, and say whether they changed anything.
 */
public final class Revisions {
  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  /** Upstream's default {@code MaxRevHistoryLengthInChars}. */
  static final int MAX_HISTORY_CHARS = 2000;
  private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
      REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

  private Revisions() {}

  private static Map<String, String> annotations(HasMetadata obj) {
    if (obj.getMetadata().getAnnotations() == null) {
      obj.getMetadata().setAnnotations(new HashMap<>());
    }
    return obj.getMetadata().getAnnotations();
  }

  /** The revision number of {@code obj}, 0 when absent or not a number. */
  public static long revision(HasMetadata obj) {
    var ann = obj.getMetadata().getAnnotations();
    try {
      return ann == null || ann.get(REVISION) == null ? 0 : Long.parseLong(ann.get(REVISION));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static long maxRevision(Collection<ReplicaSet> rss) {
    return rss.stream().mapToLong(Revisions::revision).max().orElse(0);
  }

  public static Integer desiredReplicas(ReplicaSet rs) {
    return intAnnotation(rs, DESIRED_REPLICAS);
  }

  public static Integer maxReplicas(ReplicaSet rs) {
    return intAnnotation(rs, MAX_REPLICAS);
  }

  private static Integer intAnnotation(ReplicaSet rs, String key) {
    var ann = rs.getMetadata().getAnnotations();
    try {
      return ann == null || ann.get(key) == null ? null : Integer.valueOf(ann.get(key));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Upstream's {@code SetNewReplicaSetAnnotations}. */
  public static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, long newRevision, boolean exists) {
    boolean changed = copyDeploymentAnnotations(d, rs);
    Map<String, String> ann = annotations(rs);
    String oldRevision = ann.get(REVISION);
    long old;
    try {
      old = oldRevision == null ? 0 : Long.parseLong(oldRevision);
    } catch (NumberFormatException e) {
      return false;
    }
    if (old < newRevision) {
      ann.put(REVISION, Long.toString(newRevision));
      changed = true;
      if (oldRevision != null) {
        appendHistory(ann, oldRevision);
      }
    }
    if (!exists && setReplicasAnnotations(rs, ReplicaMath.replicas(d), ReplicaMath.replicas(d) + ReplicaMath.maxSurge(d))) {
      changed = true;
    }
    return changed;
  }

  private static void appendHistory(Map<String, String> ann, String oldRevision) {
    String history = ann.getOrDefault(REVISION_HISTORY, "");
    if (history.isEmpty()) {
      ann.put(REVISION_HISTORY, oldRevision);
      return;
    }
    List<String> revisions = new ArrayList<>(Arrays.asList(history.split(",")));
    int total = history.length() + oldRevision.length() + 1;
    while (total > MAX_HISTORY_CHARS && !revisions.isEmpty()) {
      total -= revisions.removeFirst().length() + 1;
    }
    if (total <= MAX_HISTORY_CHARS) {
      revisions.add(oldRevision);
      ann.put(REVISION_HISTORY, String.join(",", revisions));
    }
  }

  /** Copies the Deployment's annotations, except the controller's own, to the ReplicaSet. */
  static boolean copyDeploymentAnnotations(Deployment d, ReplicaSet rs) {
    boolean changed = false;
    Map<String, String> from = d.getMetadata().getAnnotations();
    if (from == null) {
      return false;
    }
    Map<String, String> to = annotations(rs);
    for (var e : from.entrySet()) {
      if (NOT_COPIED.contains(e.getKey()) || Objects.equals(to.get(e.getKey()), e.getValue())) {
        continue;
      }
      to.put(e.getKey(), e.getValue());
      changed = true;
    }
    return changed;
  }

  /** Sets desired-replicas and max-replicas; says whether either changed. */
  public static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
    Map<String, String> ann = annotations(rs);
    boolean changed = false;
    if (!Integer.toString(desired).equals(ann.get(DESIRED_REPLICAS))) {
      ann.put(DESIRED_REPLICAS, Integer.toString(desired));
      changed = true;
    }
    if (!Integer.toString(max).equals(ann.get(MAX_REPLICAS))) {
      ann.put(MAX_REPLICAS, Integer.toString(max));
      changed = true;
    }
    return changed;
  }

  public static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    var ann = rs.getMetadata().getAnnotations();
    return ann == null || !Integer.toString(desired).equals(ann.get(DESIRED_REPLICAS))
        || !Integer.toString(max).equals(ann.get(MAX_REPLICAS));
  }
}
