package dev.skiff.controllers.replicaset;

import dev.skiff.controllers.base.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Upstream's {@code calculateStatus} for a ReplicaSet: counts of its active pods and the ReplicaFailure condition. */
public final class ReplicaSetStatuses {
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  private ReplicaSetStatuses() {}

  /**
   * @param pods the active pods the ReplicaSet controls
   * @param manageError the error of this sync's creates or deletes, or null
   * @param scalingUp whether the failed operation was a scale up (FailedCreate) or down (FailedDelete)
   */
  public static ReplicaSetStatus calculate(ReplicaSet rs, List<Pod> pods, Exception manageError, boolean scalingUp,
      Instant now) {
    Map<String, String> templateLabels = rs.getSpec().getTemplate().getMetadata() == null
        ? Map.of() : rs.getSpec().getTemplate().getMetadata().getLabels();
    int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : pods) {
      Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
      if (templateLabels == null || labels.entrySet().containsAll(templateLabels.entrySet())) {
        fullyLabeled++;
      }
      if (PodConditions.isReady(p)) {
        ready++;
        if (PodConditions.isAvailable(p, minReady, now)) {
          available++;
        }
      }
    }
    List<ReplicaSetCondition> conditions = new ArrayList<>();
    ReplicaSetStatus old = rs.getStatus();
    if (old != null && old.getConditions() != null) {
      conditions.addAll(old.getConditions());
    }
    boolean hasFailure = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
    if (manageError != null && !hasFailure) {
      conditions.add(new ReplicaSetConditionBuilder().withType(REPLICA_FAILURE).withStatus("True")
          .withReason(scalingUp ? "FailedCreate" : "FailedDelete").withMessage(String.valueOf(manageError.getMessage()))
          .withLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS))).build());
    } else if (manageError == null && hasFailure) {
      conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
    }
    return new ReplicaSetStatusBuilder().withReplicas(pods.size()).withFullyLabeledReplicas(fullyLabeled)
        .withReadyReplicas(ready).withAvailableReplicas(available)
        .withObservedGeneration(rs.getMetadata().getGeneration()).withConditions(conditions.isEmpty() ? null : conditions)
        .build();
  }

  /** Equal as the API sees it: absent counts are zero, absent conditions are none. */
  public static boolean same(ReplicaSetStatus a, ReplicaSetStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return n(a.getReplicas()) == n(b.getReplicas()) && n(a.getFullyLabeledReplicas()) == n(b.getFullyLabeledReplicas())
        && n(a.getReadyReplicas()) == n(b.getReadyReplicas()) && n(a.getAvailableReplicas()) == n(b.getAvailableReplicas())
        && java.util.Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && conditions(a).equals(conditions(b));
  }

  private static long n(Number v) {
    return v == null ? 0 : v.longValue();
  }

  private static List<ReplicaSetCondition> conditions(ReplicaSetStatus s) {
    return s.getConditions() == null ? List.of() : s.getConditions();
  }
}
