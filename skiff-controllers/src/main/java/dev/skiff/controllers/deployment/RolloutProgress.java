package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.DeploymentConditions.PROGRESSING;
import static dev.skiff.controllers.deployment.DeploymentConditions.REPLICA_FAILURE;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Upstream's {@code progress.go}: {@code syncRolloutStatus} sets the Progressing condition
 * (NewReplicaSetAvailable, ReplicaSetUpdated, ProgressDeadlineExceeded), carries a ReplicaSet's
 * ReplicaFailure up, writes the status once, and asks for a requeue when the deadline is the
 * next thing that can change it.
 */
final class RolloutProgress {
  private RolloutProgress() {}

  static void sync(Rollout r, Rollout.Sets sets) {
    var d = r.d;
    Instant now = r.now();
    ReplicaSet newRs = sets.newRs();
    DeploymentStatus next = DeploymentStatuses.calculate(sets.all(), newRs, d, now);
    if (!DeploymentStatuses.hasProgressDeadline(d)) {
      DeploymentConditions.remove(next, PROGRESSING);
    }
    Optional<DeploymentCondition> current = DeploymentConditions.get(d.getStatus(), PROGRESSING);
    boolean complete = DeploymentStatuses.n(next.getReplicas()) == DeploymentStatuses.n(next.getUpdatedReplicas())
        && current.map(c -> DeploymentConditions.NEW_RS_AVAILABLE.equals(c.getReason())).orElse(false);
    if (DeploymentStatuses.hasProgressDeadline(d) && !complete) {
      String subject = newRs != null ? "ReplicaSet \"" + newRs.getMetadata().getName() + "\""
          : "Deployment \"" + d.getMetadata().getName() + "\"";
      if (DeploymentStatuses.complete(d, next)) {
        DeploymentConditions.set(next, DeploymentConditions.condition(PROGRESSING, "True",
            DeploymentConditions.NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
      } else if (DeploymentStatuses.progressing(d, next)) {
        DeploymentCondition c = DeploymentConditions.condition(PROGRESSING, "True", DeploymentConditions.RS_UPDATED,
            subject + " is progressing.", now);
        if (current.isPresent()) {
          if ("True".equals(current.get().getStatus())) {
            c.setLastTransitionTime(current.get().getLastTransitionTime());
          }
          DeploymentConditions.remove(next, PROGRESSING);
        }
        DeploymentConditions.set(next, c);
      } else if (DeploymentStatuses.timedOut(d, next, now)) {
        DeploymentConditions.set(next, DeploymentConditions.condition(PROGRESSING, "False", DeploymentConditions.TIMED_OUT,
            subject + " has timed out progressing.", now));
      }
    }
    Optional<DeploymentCondition> failure = replicaFailure(sets, newRs);
    if (failure.isPresent()) {
      DeploymentConditions.set(next, failure.get());
    } else {
      DeploymentConditions.remove(next, REPLICA_FAILURE);
    }
    if (DeploymentStatuses.same(d.getStatus(), next)) {
      r.requeueAfter = stuckRequeue(r, next, now);
      return;
    }
    r.writeStatus(next);
  }

  /** The new ReplicaSet's ReplicaFailure first, else any old one's, as a Deployment condition. */
  private static Optional<DeploymentCondition> replicaFailure(Rollout.Sets sets, ReplicaSet newRs) {
    var order = new java.util.ArrayList<ReplicaSet>();
    if (newRs != null) {
      order.add(newRs);
    }
    order.addAll(sets.old());
    for (ReplicaSet rs : order) {
      if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
        continue;
      }
      for (var c : rs.getStatus().getConditions()) {
        if (REPLICA_FAILURE.equals(c.getType())) {
          return Optional.of(new DeploymentConditionBuilder().withType(REPLICA_FAILURE).withStatus(c.getStatus())
              .withReason(c.getReason()).withMessage(c.getMessage()).withLastTransitionTime(c.getLastTransitionTime())
              .withLastUpdateTime(c.getLastTransitionTime()).build());
        }
      }
    }
    return Optional.empty();
  }

  /** Upstream's {@code requeueStuckDeployment}: when the deadline would pass with no event, check again then. */
  private static Duration stuckRequeue(Rollout r, DeploymentStatus next, Instant now) {
    var d = r.d;
    Optional<DeploymentCondition> c = DeploymentConditions.get(d.getStatus(), PROGRESSING);
    if (!DeploymentStatuses.hasProgressDeadline(d) || c.isEmpty() || DeploymentStatuses.complete(d, next)
        || DeploymentConditions.TIMED_OUT.equals(c.get().getReason()) || c.get().getLastUpdateTime() == null) {
      return null;
    }
    Instant due = Instant.parse(c.get().getLastUpdateTime()).plusSeconds(d.getSpec().getProgressDeadlineSeconds());
    Duration after = Duration.between(now, due);
    return after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after;
  }
}
