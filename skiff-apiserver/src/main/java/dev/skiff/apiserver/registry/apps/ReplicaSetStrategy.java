package dev.skiff.apiserver.registry.apps;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** ReplicaSets ({@code pkg/registry/apps/replicaset}): the workload rules, status and scale subresources. */
public final class ReplicaSetStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("apps", "v1", "ReplicaSet",
      "replicasets", "replicaset", true, ResourceDefinition.ALL_VERBS, List.of("rs"), List.of("all"),
      List.of(ResourceDefinition.Subresource.scale(), ResourceDefinition.Subresource.status("ReplicaSet")));

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    WorkloadSpec.prepareForCreate(obj);
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    WorkloadSpec.prepareForUpdate(obj, old, false);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return WorkloadSpec.validate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return WorkloadSpec.validateUpdate(obj, old);
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector.matchLabels", "spec.template.metadata.labels");
  }

  @Override
  public List<TableColumn> columns() {
    return WorkloadSpec.columns(List.of(TableColumn.nameColumn(),
        TableColumn.of("Desired", "integer", "Replicas is the number of desired pods."),
        TableColumn.of("Current", "integer", "Replicas is the most recently observed number of replicas."),
        TableColumn.of("Ready", "integer", "The number of ready replicas for this replica set."),
        TableColumn.ageColumn()), "Selector is a label query over pods that should match the replica count.");
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode status = obj.path("status");
    List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj), obj.path("spec").path("replicas").asInt(0),
        status.path("replicas").asInt(0), status.path("readyReplicas").asInt(0), ResourceStrategy.age(obj, now)));
    cells.addAll(WorkloadSpec.wideCells(obj));
    return cells;
  }
}
