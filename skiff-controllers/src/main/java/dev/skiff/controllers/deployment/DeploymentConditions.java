package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Deployment conditions and their reasons, with upstream's set/get/remove semantics. */
public final class DeploymentConditions {
  public static final String PROGRESSING = "Progressing";
  public static final String AVAILABLE = "Available";
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  public static final String RS_UPDATED = "ReplicaSetUpdated";
  public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  public static final String TIMED_OUT = "ProgressDeadlineExceeded";
  public static final String PAUSED = "DeploymentPaused";
  public static final String RESUMED = "DeploymentResumed";
  public static final String MINIMUM_AVAILABLE = "MinimumReplicasAvailable";
  public static final String MINIMUM_UNAVAILABLE = "MinimumReplicasUnavailable";

  private DeploymentConditions() {}

  public static DeploymentCondition condition(String type, String status, String reason, String message, Instant now) {
    String ts = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastUpdateTime(ts).withLastTransitionTime(ts).build();
  }

  public static Optional<DeploymentCondition> get(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Upstream's {@code SetDeploymentCondition}: no change when status and reason are the same;
   * the transition time survives when only the reason changes.
   */
  public static void set(DeploymentStatus status, DeploymentCondition condition) {
    Optional<DeploymentCondition> current = get(status, condition.getType());
    if (current.isPresent() && Objects.equals(current.get().getStatus(), condition.getStatus())
        && Objects.equals(current.get().getReason(), condition.getReason())) {
      return;
    }
    if (current.isPresent() && Objects.equals(current.get().getStatus(), condition.getStatus())) {
      condition.setLastTransitionTime(current.get().getLastTransitionTime());
    }
    remove(status, condition.getType());
    List<DeploymentCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    conditions.add(condition);
    status.setConditions(conditions);
  }

  public static void remove(DeploymentStatus status, String type) {
    if (status.getConditions() != null) {
      List<DeploymentCondition> left = new ArrayList<>(status.getConditions());
      left.removeIf(c -> type.equals(c.getType()));
      status.setConditions(left);
    }
  }
}
