package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.PodTemplates;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ReplicationControllers ({@code pkg/registry/core/replicationcontroller}, v1 defaults): the
 * selector and labels default to the template's labels, replicas to 1; the selector is a plain
 * label map that must match the template.
 */
public final class ReplicationControllerStrategy extends SpecStatusStrategy {
  public ReplicationControllerStrategy() {
    super(new ResourceDefinition("", "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller",
        true, ResourceDefinition.ALL_VERBS, List.of("rc"), List.of("all"),
        List.of(Subresource.scale(), Subresource.status("ReplicationController"))));
  }

  @Override
  protected void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
    if (spec.path("selector").isEmpty() && templateLabels.isObject()) {
      spec.set("selector", templateLabels.deepCopy());
    }
    if (obj.path("metadata").path("labels").isEmpty() && templateLabels.isObject() && !templateLabels.isEmpty()) {
      ObjectMeta.of(obj).set("labels", templateLabels.deepCopy());
    }
    if (!spec.has("replicas") || spec.get("replicas").isNull()) {
      spec.put("replicas", 1);
    }
    PodTemplates.defaults(Json.objectAt(spec, "template"));
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>();
    if (spec.path("replicas").asLong(0) < 0) {
      errors.add(FieldError.invalid("spec.replicas", spec.path("replicas"), "must be greater than or equal to 0"));
    }
    if (spec.path("selector").isEmpty()) {
      errors.add(FieldError.required("spec.selector", ""));
    } else {
      Map<String, String> labels = ObjectMeta.labels(spec.path("template"));
      for (var e : spec.path("selector").properties()) {
        if (!e.getValue().asString("").equals(labels.get(e.getKey()))) {
          errors.add(FieldError.invalid("spec.template.metadata.labels",
              spec.path("template").path("metadata").path("labels").deepCopy(), "`selector` does not match template `labels`"));
          break;
        }
      }
    }
    errors.addAll(PodTemplates.validate(spec.path("template"), "spec.template", List.of("Always")));
    return errors;
  }

  @Override
  public java.util.Set<String> selectableFields() {
    return java.util.Set.of("status.replicas");
  }

  @Override
  public java.util.Optional<String> fieldValue(JsonNode obj, String field) {
    return field.equals("status.replicas")
        ? java.util.Optional.of(String.valueOf(obj.path("status").path("replicas").asInt(0))) : java.util.Optional.empty();
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector", "spec.template.metadata.labels");
  }

  @Override
  public List<TableColumn> columns() {
    return PodTemplates.columns(List.of(TableColumn.nameColumn(),
        TableColumn.of("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
        TableColumn.of("Current", "integer", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
        TableColumn.of("Ready", "integer", "The number of ready replicas for this replication controller."),
        TableColumn.ageColumn()), "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors");
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    JsonNode status = obj.path("status");
    List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj), spec.path("replicas").asInt(0),
        status.path("replicas").asInt(0), status.path("readyReplicas").asInt(0), ResourceStrategy.age(obj, now)));
    cells.addAll(PodTemplates.wideCells(spec.path("template"), spec.path("selector")));
    return cells;
  }
}
