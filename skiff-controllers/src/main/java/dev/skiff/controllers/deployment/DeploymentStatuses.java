package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.DeploymentConditions.AVAILABLE;
import static dev.skiff.controllers.deployment.DeploymentConditions.PROGRESSING;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Upstream's {@code calculateStatus} and the progress predicates of {@code deployment/util}. */
public final class DeploymentStatuses {
  private DeploymentStatuses() {}

  /** The status the ReplicaSets imply, with the Available condition and the other conditions carried over. */
  public static DeploymentStatus calculate(List<ReplicaSet> all, ReplicaSet newRs, Deployment d, Instant now) {
    List<ReplicaSet> present = all.stream().filter(Objects::nonNull).toList();
    int available = ReplicaMath.availableSum(present);
    int unavailable = Math.max(0, ReplicaMath.specSum(present) - available);
    DeploymentStatus old = d.getStatus();
    List<DeploymentCondition> conditions = new ArrayList<>();
    if (old != null && old.getConditions() != null) {
      old.getConditions().forEach(c -> conditions.add(new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder(c).build()));
    }
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(ReplicaMath.actualSum(present))
        .withUpdatedReplicas(newRs == null ? 0 : ReplicaMath.actualSum(List.of(newRs)))
        .withReadyReplicas(ReplicaMath.readySum(present))
        .withAvailableReplicas(available).withUnavailableReplicas(unavailable)
        .withCollisionCount(old == null ? null : old.getCollisionCount())
        .withConditions(conditions).build();
    if (available >= ReplicaMath.replicas(d) - ReplicaMath.maxUnavailable(d)) {
      DeploymentConditions.set(status, DeploymentConditions.condition(AVAILABLE, "True",
          DeploymentConditions.MINIMUM_AVAILABLE, "Deployment has minimum availability.", now));
    } else {
      DeploymentConditions.set(status, DeploymentConditions.condition(AVAILABLE, "False",
          DeploymentConditions.MINIMUM_UNAVAILABLE, "Deployment does not have minimum availability.", now));
    }
    return status;
  }

  /** A deadline is set and is not "infinite" (MaxInt32). */
  public static boolean hasProgressDeadline(Deployment d) {
    Integer s = d.getSpec().getProgressDeadlineSeconds();
    return s != null && s != Integer.MAX_VALUE;
  }

  /** Upstream's {@code DeploymentComplete}: every replica updated and available, and the spec observed. */
  public static boolean complete(Deployment d, DeploymentStatus s) {
    int want = ReplicaMath.replicas(d);
    return n(s.getUpdatedReplicas()) == want && n(s.getReplicas()) == want && n(s.getAvailableReplicas()) == want
        && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration();
  }

  /** Upstream's {@code DeploymentProgressing}: the new status shows progress over the stored one. */
  public static boolean progressing(Deployment d, DeploymentStatus next) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldOld = n(old.getReplicas()) - n(old.getUpdatedReplicas());
    int newOld = n(next.getReplicas()) - n(next.getUpdatedReplicas());
    return n(next.getUpdatedReplicas()) > n(old.getUpdatedReplicas()) || newOld < oldOld
        || n(next.getReadyReplicas()) > n(old.getReadyReplicas())
        || n(next.getAvailableReplicas()) > n(old.getAvailableReplicas());
  }

  /** Upstream's {@code DeploymentTimedOut}: no progress recorded for progressDeadlineSeconds. */
  public static boolean timedOut(Deployment d, DeploymentStatus next, Instant now) {
    if (!hasProgressDeadline(d)) {
      return false;
    }
    Optional<DeploymentCondition> c = DeploymentConditions.get(next, PROGRESSING);
    if (c.isEmpty() || DeploymentConditions.NEW_RS_AVAILABLE.equals(c.get().getReason())) {
      return false;
    }
    if (DeploymentConditions.TIMED_OUT.equals(c.get().getReason())) {
      return true;
    }
    Instant from = Instant.parse(c.get().getLastUpdateTime());
    return from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
  }

  /** Equal as the API sees it: absent counts are zero, absent conditions none. */
  public static boolean same(DeploymentStatus a, DeploymentStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return n(a.getReplicas()) == n(b.getReplicas()) && n(a.getUpdatedReplicas()) == n(b.getUpdatedReplicas())
        && n(a.getReadyReplicas()) == n(b.getReadyReplicas()) && n(a.getAvailableReplicas()) == n(b.getAvailableReplicas())
        && n(a.getUnavailableReplicas()) == n(b.getUnavailableReplicas())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getCollisionCount(), b.getCollisionCount())
        && conditions(a).equals(conditions(b));
  }

  private static List<DeploymentCondition> conditions(DeploymentStatus s) {
    return s.getConditions() == null ? List.of() : s.getConditions();
  }

  static int n(Integer v) {
    return v == null ? 0 : v;
  }
}
