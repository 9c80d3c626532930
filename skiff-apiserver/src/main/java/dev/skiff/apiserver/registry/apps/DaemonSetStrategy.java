package dev.skiff.apiserver.registry.apps;

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
 * DaemonSets ({@code pkg/registry/apps/daemonset}, apps/v1 defaults): RollingUpdate with
 * maxUnavailable 1 and maxSurge 0, 10 revisions kept, a selector that never changes.
 */
public final class DaemonSetStrategy extends SpecStatusStrategy {
  public DaemonSetStrategy() {
    super(new ResourceDefinition("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true,
        ResourceDefinition.ALL_VERBS, List.of("ds"), List.of("all"), List.of(Subresource.status("DaemonSet"))));
  }

  @Override
  protected void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    ObjectNode strategy = Json.objectAt(spec, "updateStrategy");
    Json.putIfBlank(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asString("").equals("RollingUpdate")) {
      ObjectNode rolling = Json.objectAt(strategy, "rollingUpdate");
      if (!rolling.has("maxUnavailable")) {
        rolling.put("maxUnavailable", 1);
      }
      if (!rolling.has("maxSurge")) {
        rolling.put("maxSurge", 0);
      }
    }
    if (!spec.has("revisionHistoryLimit")) {
      spec.put("revisionHistoryLimit", 10);
    }
    PodTemplates.defaults(Json.objectAt(spec, "template"));
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>(
        PodTemplates.validateSelector(spec.path("selector"), spec.path("template"), "spec.selector", "spec.template"));
    errors.addAll(PodTemplates.validate(spec.path("template"), "spec.template", List.of("Always")));
    String type = spec.path("updateStrategy").path("type").asString("");
    if (!type.equals("RollingUpdate") && !type.equals("OnDelete")) {
      errors.add(FieldError.notSupported("spec.updateStrategy.type", type, List.of("OnDelete", "RollingUpdate")));
    }
    return errors;
  }

  @Override
  protected List<FieldError> validateChange(ObjectNode obj, ObjectNode old) {
    if (!obj.path("spec").path("selector").equals(old.path("spec").path("selector"))) {
      return List.of(FieldError.invalid("spec.selector", obj.path("spec").path("selector").deepCopy(), "field is immutable"));
    }
    return List.of();
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector.matchLabels", "spec.template.metadata.labels", "spec.template.spec.nodeSelector");
  }

  @Override
  public List<TableColumn> columns() {
    return PodTemplates.columns(List.of(TableColumn.nameColumn(),
        TableColumn.of("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
        TableColumn.of("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
        TableColumn.of("Ready", "integer", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
        TableColumn.of("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
        TableColumn.of("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        TableColumn.of("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
        TableColumn.ageColumn()), "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors");
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode status = obj.path("status");
    JsonNode template = obj.path("spec").path("template");
    List<String> nodeSelector = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : template.path("spec").path("nodeSelector").properties()) {
      nodeSelector.add(e.getKey() + "=" + e.getValue().asString(""));
    }
    List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj),
        status.path("desiredNumberScheduled").asInt(0), status.path("currentNumberScheduled").asInt(0),
        status.path("numberReady").asInt(0), status.path("updatedNumberScheduled").asInt(0),
        status.path("numberAvailable").asInt(0), nodeSelector.isEmpty() ? "<none>" : String.join(",", nodeSelector),
        ResourceStrategy.age(obj, now)));
    cells.addAll(PodTemplates.wideCells(template, obj.path("spec").path("selector")));
    return cells;
  }
}
