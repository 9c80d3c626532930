package dev.skiff.apiserver.registry.apps;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deployments ({@code pkg/registry/apps/deployment}, apps/v1 defaults): rolling updates of 25%
 * surge and unavailability, 10 revisions kept, a 600-second progress deadline, a generation that
 * counts spec and annotation changes, and the status and scale subresources.
 */
public final class DeploymentStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("apps", "v1", "Deployment",
      "deployments", "deployment", true, ResourceDefinition.ALL_VERBS, List.of("deploy"), List.of("all"),
      List.of(ResourceDefinition.Subresource.scale(), ResourceDefinition.Subresource.status("Deployment")));

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  private static void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    ObjectNode strategy = Json.objectAt(spec, "strategy");
    Json.putIfBlank(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asString("").equals("RollingUpdate")) {
      ObjectNode rolling = Json.objectAt(strategy, "rollingUpdate");
      if (!rolling.has("maxUnavailable")) {
        rolling.put("maxUnavailable", "25%");
      }
      if (!rolling.has("maxSurge")) {
        rolling.put("maxSurge", "25%");
      }
    }
    if (!spec.has("revisionHistoryLimit")) {
      spec.put("revisionHistoryLimit", 10);
    }
    if (!spec.has("progressDeadlineSeconds")) {
      spec.put("progressDeadlineSeconds", 600);
    }
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    WorkloadSpec.prepareForCreate(obj);
    defaults(obj);
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    defaults(obj);
    WorkloadSpec.prepareForUpdate(obj, old, true);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>(WorkloadSpec.validate(obj));
    errors.addAll(strategyErrors(obj));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(WorkloadSpec.validateUpdate(obj, old));
    errors.addAll(strategyErrors(obj));
    return errors;
  }

  private static List<FieldError> strategyErrors(ObjectNode obj) {
    String type = obj.path("spec").path("strategy").path("type").asString("");
    if (!type.equals("RollingUpdate") && !type.equals("Recreate")) {
      return List.of(FieldError.notSupported("spec.strategy.type", type, List.of("Recreate", "RollingUpdate")));
    }
    return List.of();
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector.matchLabels", "spec.template.metadata.labels");
  }

  @Override
  public List<TableColumn> columns() {
    return WorkloadSpec.columns(List.of(TableColumn.nameColumn(),
        TableColumn.of("Ready", "string", "Number of the pod with ready state"),
        TableColumn.of("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        TableColumn.of("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        TableColumn.ageColumn()), "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.");
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode status = obj.path("status");
    List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj),
        status.path("readyReplicas").asInt(0) + "/" + obj.path("spec").path("replicas").asInt(0),
        status.path("updatedReplicas").asInt(0), status.path("availableReplicas").asInt(0),
        ResourceStrategy.age(obj, now)));
    cells.addAll(WorkloadSpec.wideCells(obj));
    return cells;
  }
}
