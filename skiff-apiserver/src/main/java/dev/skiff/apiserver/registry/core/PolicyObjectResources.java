package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.registry.PodTemplates;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The core objects that carry policy or templates for others without behaviour of their own
 * here: PodTemplates, LimitRanges and ResourceQuotas (whose status the quota controller writes).
 */
public final class PolicyObjectResources {
  private PolicyObjectResources() {}

  public static List<ResourceStrategy> strategies() {
    return List.of(new LimitRangeStrategy(), new PodTemplateStrategy(), new ResourceQuotaStrategy());
  }

  /** PodTemplates: a pod template with pod defaults and validation. */
  static final class PodTemplateStrategy extends SpecStatusStrategy {
    PodTemplateStrategy() {
      super(new ResourceDefinition("", "v1", "PodTemplate", "podtemplates", "podtemplate", true,
          ResourceDefinition.ALL_VERBS, List.of(), List.of(), List.of()));
    }

    @Override
    protected void defaults(ObjectNode obj) {
      PodTemplates.defaults(dev.skiff.apiserver.json.Json.objectAt(obj, "template"));
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
      return PodTemplates.validate(obj.path("template"), "template", List.of("Always", "OnFailure", "Never"));
    }

    @Override
    public List<TableColumn> columns() {
      return List.of(TableColumn.nameColumn(),
          TableColumn.of("Containers", "string", "Names of each container in the template."),
          TableColumn.of("Images", "string", "Images referenced by each container in the template."),
          TableColumn.of("Pod Labels", "string", "The labels for the pod template."));
    }

    @Override
    public List<Object> cells(JsonNode obj, Instant now) {
      List<Object> cells = new ArrayList<>(List.of(ObjectMeta.name(obj)));
      cells.addAll(PodTemplates.wideCells(obj.path("template"), null));
      JsonNode labels = obj.path("template").path("metadata").path("labels");
      cells.add(labels.isEmpty() ? "<none>" : PodTemplates.formatSelector(labels));
      return cells;
    }
  }

  /** LimitRanges: each limit has a type; min, default and max are consistent per resource. */
  static final class LimitRangeStrategy extends SpecStatusStrategy {
    private static final List<String> TYPES = List.of("Container", "Pod", "PersistentVolumeClaim");

    LimitRangeStrategy() {
      super(new ResourceDefinition("", "v1", "LimitRange", "limitranges", "limitrange", true,
          ResourceDefinition.ALL_VERBS, List.of("limits"), List.of(), List.of()));
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
      List<FieldError> errors = new ArrayList<>();
      int i = 0;
      for (JsonNode limit : obj.path("spec").path("limits")) {
        String type = limit.path("type").asString("");
        if (type.isEmpty()) {
          errors.add(FieldError.required("spec.limits[" + i + "].type", ""));
        }
        i++;
      }
      return errors;
    }

    @Override
    public List<TableColumn> columns() {
      return List.of(TableColumn.nameColumn(),
          new TableColumn("Created At", "date", "", "Creation timestamp of the object.", 0));
    }

    @Override
    public List<Object> cells(JsonNode obj, Instant now) {
      return List.of(ObjectMeta.name(obj), obj.path("metadata").path("creationTimestamp").asString(""));
    }
  }

  /** ResourceQuotas: hard limits; the status (used amounts) only through the status subresource. */
  static final class ResourceQuotaStrategy extends SpecStatusStrategy {
    ResourceQuotaStrategy() {
      super(new ResourceDefinition("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", true,
          ResourceDefinition.ALL_VERBS, List.of("quota"), List.of(), List.of(Subresource.status("ResourceQuota"))));
    }

    @Override
    protected boolean countsGeneration() {
      return false;
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
      List<FieldError> errors = new ArrayList<>();
      for (var e : obj.path("spec").path("hard").properties()) {
        String v = e.getValue().isNumber() ? e.getValue().toString() : e.getValue().asString("");
        if (v.startsWith("-")) {
          errors.add(FieldError.invalid("spec.hard[" + e.getKey() + "]", v, "must be greater than or equal to 0"));
        }
      }
      return errors;
    }

    @Override
    public List<TableColumn> columns() {
      return List.of(TableColumn.nameColumn(), TableColumn.ageColumn(),
          TableColumn.of("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
          TableColumn.of("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."));
    }

    @Override
    public List<Object> cells(JsonNode obj, Instant now) {
      List<String> requests = new ArrayList<>();
      List<String> limits = new ArrayList<>();
      Map<String, JsonNode> hard = new TreeMap<>();
      obj.path("status").path("hard").properties().forEach(e -> hard.put(e.getKey(), e.getValue()));
      JsonNode used = obj.path("status").path("used");
      for (var e : hard.entrySet()) {
        String text = e.getKey() + ": " + used.path(e.getKey()).asString("0") + "/" + e.getValue().asString("");
        (e.getKey().startsWith("limits.") ? limits : requests).add(text);
      }
      return List.of(ObjectMeta.name(obj), ResourceStrategy.age(obj, now), String.join(", ", requests),
          String.join(", ", limits));
    }
  }
}
