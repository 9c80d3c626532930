package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Collection;

/**
 * The replica arithmetic of upstream's {@code deployment/util}: maxSurge and maxUnavailable
 * resolved against the desired count (surge rounds up, unavailable down, and both zero becomes
 * unavailable 1), the new ReplicaSet's next size, and proportional shares when scaling mid-rollout.
 */
public final class ReplicaMath {
  /** Resolved maxSurge and maxUnavailable. */
  public record Fenceposts(int maxSurge, int maxUnavailable) {}

  private ReplicaMath() {}

  /** An absolute count or a percentage of {@code total}, as upstream's {@code GetScaledValueFromIntOrPercent}. */
  public static int scaled(IntOrString value, int total, boolean roundUp) {
    if (value == null) {
      return 0;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal();
    if (s == null || !s.endsWith("%")) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
    }
    int percent = Integer.parseInt(s.substring(0, s.length() - 1));
    double v = (double) percent * total / 100.0;
    return (int) (roundUp ? Math.ceil(v) : Math.floor(v));
  }

  /** Upstream's {@code ResolveFenceposts}. */
  public static Fenceposts resolve(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaled(maxSurge, desired, true);
    int unavailable = scaled(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) {
      // both zero would never make progress: allow one unavailable, as upstream
      unavailable = 1;
    }
    return new Fenceposts(surge, unavailable);
  }

  static boolean isRollingUpdate(Deployment d) {
    return d.getSpec().getStrategy() == null || !"Recreate".equals(d.getSpec().getStrategy().getType());
  }

  private static Fenceposts fenceposts(Deployment d) {
    var ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    IntOrString surge = ru == null || ru.getMaxSurge() == null ? new IntOrString("25%") : ru.getMaxSurge();
    IntOrString unavailable = ru == null || ru.getMaxUnavailable() == null ? new IntOrString("25%") : ru.getMaxUnavailable();
    return resolve(surge, unavailable, replicas(d));
  }

  /** Upstream's {@code MaxSurge}: 0 unless rolling. */
  public static int maxSurge(Deployment d) {
    return isRollingUpdate(d) ? fenceposts(d).maxSurge() : 0;
  }

  /** Upstream's {@code MaxUnavailable}: 0 unless rolling or scaled to zero, never above the desired count. */
  public static int maxUnavailable(Deployment d) {
    if (!isRollingUpdate(d) || replicas(d) == 0) {
      return 0;
    }
    return Math.min(fenceposts(d).maxUnavailable(), replicas(d));
  }

  /** Upstream's {@code NewRSNewReplicas}: how big the new ReplicaSet may be now. */
  public static int newReplicaSetReplicas(Deployment d, Collection<ReplicaSet> all, ReplicaSet newRs) {
    if (!isRollingUpdate(d)) {
      return replicas(d);
    }
    int current = specSum(all);
    int maxTotal = replicas(d) + maxSurge(d);
    if (current >= maxTotal) {
      return replicas(newRs);
    }
    int up = Math.min(maxTotal - current, replicas(d) - replicas(newRs));
    return replicas(newRs) + up;
  }

  /**
   * Upstream's {@code GetProportion}: this ReplicaSet's share of {@code toAdd} when a Deployment is
   * scaled mid-rollout, bounded by what is left to hand out.
   */
  public static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  private static int fraction(ReplicaSet rs, Deployment d) {
    if (replicas(d) == 0) {
      return -replicas(rs);
    }
    int deploymentReplicas = replicas(d) + maxSurge(d);
    Integer annotated = Revisions.maxReplicas(rs);
    int base = annotated != null ? annotated : statusReplicas(d);
    double newSize = (double) replicas(rs) * deploymentReplicas / base;
    return (int) Math.round(newSize) - replicas(rs);
  }

  public static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  public static int replicas(ReplicaSet rs) {
    return rs == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
  }

  private static int statusReplicas(Deployment d) {
    return d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
  }

  /** Sum of spec.replicas. */
  public static int specSum(Collection<ReplicaSet> rss) {
    return rss.stream().mapToInt(ReplicaMath::replicas).sum();
  }

  /** Sum of status.replicas. */
  public static int actualSum(Collection<ReplicaSet> rss) {
    return rss.stream().filter(r -> r != null && r.getStatus() != null).mapToInt(r -> n(r.getStatus().getReplicas())).sum();
  }

  public static int readySum(Collection<ReplicaSet> rss) {
    return rss.stream().filter(r -> r != null && r.getStatus() != null).mapToInt(r -> n(r.getStatus().getReadyReplicas())).sum();
  }

  public static int availableSum(Collection<ReplicaSet> rss) {
    return rss.stream().filter(r -> r != null && r.getStatus() != null)
        .mapToInt(r -> n(r.getStatus().getAvailableReplicas())).sum();
  }

  public static int available(ReplicaSet rs) {
    return rs == null || rs.getStatus() == null ? 0 : n(rs.getStatus().getAvailableReplicas());
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }
}
