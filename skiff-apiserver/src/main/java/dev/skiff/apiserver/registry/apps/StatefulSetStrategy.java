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
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * StatefulSets ({@code pkg/registry/apps/statefulset}, apps/v1 defaults): OrderedReady pod
 * management, RollingUpdate with partition 0, 10 revisions, Retain for claims; only replicas,
 * ordinals, template, updateStrategy, the claim retention policy and minReadySeconds may change.
 */
public final class StatefulSetStrategy extends SpecStatusStrategy {
  /** The spec fields an update may change, as upstream's ValidateStatefulSetUpdate allows. */
  private static final Set<String> MUTABLE = Set.of("replicas", "ordinals", "template", "updateStrategy",
      "persistentVolumeClaimRetentionPolicy", "minReadySeconds");

  public StatefulSetStrategy() {
    super(new ResourceDefinition("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true,
        ResourceDefinition.ALL_VERBS, List.of("sts"), List.of("all"),
        List.of(Subresource.scale(), Subresource.status("StatefulSet"))));
  }

  @Override
  protected void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    if (!spec.has("replicas") || spec.get("replicas").isNull()) {
      spec.put("replicas", 1);
    }
    Json.putIfBlank(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = Json.objectAt(spec, "updateStrategy");
    Json.putIfBlank(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asString("").equals("RollingUpdate")) {
      ObjectNode rolling = Json.objectAt(strategy, "rollingUpdate");
      if (!rolling.has("partition")) {
        rolling.put("partition", 0);
      }
    }
    if (!spec.has("revisionHistoryLimit")) {
      spec.put("revisionHistoryLimit", 10);
    }
    ObjectNode retention = Json.objectAt(spec, "persistentVolumeClaimRetentionPolicy");
    Json.putIfBlank(retention, "whenDeleted", "Retain");
    Json.putIfBlank(retention, "whenScaled", "Retain");
    PodTemplates.defaults(Json.objectAt(spec, "template"));
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = obj.path("spec");
    String policy = spec.path("podManagementPolicy").asString("");
    if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
      errors.add(FieldError.notSupported("spec.podManagementPolicy", policy, List.of("OrderedReady", "Parallel")));
    }
    String type = spec.path("updateStrategy").path("type").asString("");
    if (!type.equals("RollingUpdate") && !type.equals("OnDelete")) {
      errors.add(FieldError.notSupported("spec.updateStrategy.type", type, List.of("OnDelete", "RollingUpdate")));
    }
    if (spec.path("replicas").asLong(0) < 0) {
      errors.add(FieldError.invalid("spec.replicas", spec.path("replicas"), "must be greater than or equal to 0"));
    }
    if (spec.path("updateStrategy").path("rollingUpdate").path("partition").asLong(0) < 0) {
      errors.add(FieldError.invalid("spec.updateStrategy.rollingUpdate.partition",
          spec.path("updateStrategy").path("rollingUpdate").path("partition"), "must be greater than or equal to 0"));
    }
    errors.addAll(PodTemplates.validateSelector(spec.path("selector"), spec.path("template"), "spec.selector", "spec.template"));
    errors.addAll(PodTemplates.validate(spec.path("template"), "spec.template", List.of("Always")));
    return errors;
  }

  @Override
  protected List<FieldError> validateChange(ObjectNode obj, ObjectNode old) {
    ObjectNode now = (ObjectNode) obj.path("spec").deepCopy();
    ObjectNode was = (ObjectNode) old.path("spec").deepCopy();
    now.remove(MUTABLE);
    was.remove(MUTABLE);
    if (!now.equals(was)) {
      return List.of(FieldError.forbidden("spec", "updates to statefulset spec for fields other than 'replicas',"
          + " 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'"
          + " are forbidden"));
    }
    return List.of();
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector.matchLabels", "spec.template.metadata.labels");
  }

  @Override
  public List<TableColumn> columns() {
    return PodTemplates.columns(List.of(TableColumn.nameColumn(),
        TableColumn.of("Ready", "string", "Number of the pod with ready state"), TableColumn.ageColumn()), null);
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj),
        obj.path("status").path("readyReplicas").asInt(0) + "/" + spec.path("replicas").asInt(0),
        ResourceStrategy.age(obj, now)));
    cells.addAll(PodTemplates.wideCells(spec.path("template"), null));
    return cells;
  }
}
