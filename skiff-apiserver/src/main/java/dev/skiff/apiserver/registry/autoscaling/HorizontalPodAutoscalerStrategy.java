package dev.skiff.apiserver.registry.autoscaling;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscalers at autoscaling/v2 ({@code pkg/registry/autoscaling/horizontalpodautoscaler}):
 * minReplicas 1 and, without metrics, 80% average CPU utilization; a target with kind and name;
 * maxReplicas at least 1 and at least minReplicas.
 */
public final class HorizontalPodAutoscalerStrategy extends SpecStatusStrategy {
  public HorizontalPodAutoscalerStrategy() {
    super(new ResourceDefinition("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
        "horizontalpodautoscaler", true, ResourceDefinition.ALL_VERBS, List.of("hpa"), List.of("all"),
        List.of(Subresource.status("HorizontalPodAutoscaler"))));
  }

  @Override
  protected void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    if (!spec.has("minReplicas")) {
      spec.put("minReplicas", 1);
    }
    if (spec.path("metrics").isEmpty()) {
      ObjectNode metric = spec.putArray("metrics").addObject().put("type", "Resource");
      metric.putObject("resource").put("name", "cpu").putObject("target")
          .put("type", "Utilization").put("averageUtilization", 80);
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>();
    JsonNode ref = spec.path("scaleTargetRef");
    if (ref.path("kind").asString("").isEmpty()) {
      errors.add(FieldError.required("spec.scaleTargetRef.kind", ""));
    }
    if (ref.path("name").asString("").isEmpty()) {
      errors.add(FieldError.required("spec.scaleTargetRef.name", ""));
    }
    long min = spec.path("minReplicas").asLong(1);
    long max = spec.path("maxReplicas").asLong(0);
    if (min < 1) {
      errors.add(FieldError.invalid("spec.minReplicas", spec.path("minReplicas"), "must be greater than or equal to 1"));
    }
    if (max < 1) {
      errors.add(FieldError.invalid("spec.maxReplicas", spec.path("maxReplicas").isMissingNode()
          ? Json.nodes().numberNode(0) : spec.path("maxReplicas"), "must be greater than or equal to 1"));
    }
    if (max < min && max >= 1) {
      errors.add(FieldError.invalid("spec.maxReplicas", spec.path("maxReplicas"), "must be greater than or equal to `minReplicas`"));
    }
    int i = 0;
    for (JsonNode m : spec.path("metrics")) {
      String type = m.path("type").asString("");
      List<String> types = List.of("ContainerResource", "External", "Object", "Pods", "Resource");
      if (!types.contains(type)) {
        errors.add(type.isEmpty() ? FieldError.required("spec.metrics[" + i + "].type", "must specify a metric source type")
            : FieldError.notSupported("spec.metrics[" + i + "].type", type, types));
      }
      i++;
    }
    return errors;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Reference", "string", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
        TableColumn.of("Targets", "string", "the target value of the metric as well as the current value of the metric"),
        TableColumn.of("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
        TableColumn.of("MaxPods", "integer", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
        TableColumn.of("Replicas", "integer", "current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    JsonNode ref = spec.path("scaleTargetRef");
    return List.of(ObjectMeta.name(obj), ref.path("kind").asString("") + "/" + ref.path("name").asString(""),
        targets(spec, obj.path("status")), spec.path("minReplicas").isNumber() ? String.valueOf(spec.path("minReplicas").asInt()) : "<unset>",
        spec.path("maxReplicas").asInt(0), obj.path("status").path("currentReplicas").asInt(0),
        ResourceStrategy.age(obj, now));
  }

  /** As upstream's formatHPAMetrics for Resource metrics: "cpu: <unknown>/80%"; others by their target. */
  private static String targets(JsonNode spec, JsonNode status) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode m : spec.path("metrics")) {
      JsonNode current = status.path("currentMetrics").path(i++);
      String type = m.path("type").asString("");
      JsonNode source = m.path(fieldOf(type));
      JsonNode target = source.path("target");
      JsonNode cur = current.path(fieldOf(type)).path("current");
      String prefix = type.equals("Resource") || type.equals("ContainerResource") ? source.path("name").asString("") + ": " : "";
      if (target.has("averageUtilization")) {
        String c = cur.has("averageUtilization") ? cur.path("averageUtilization").asInt() + "%" : "<unknown>";
        out.add(prefix + c + "/" + target.path("averageUtilization").asInt() + "%");
      } else {
        String key = target.has("averageValue") ? "averageValue" : "value";
        String c = cur.has(key) ? cur.path(key).asString("") : "<unknown>";
        out.add(prefix + c + "/" + target.path(key).asString("") + (type.equals("Object") && key.equals("averageValue") ? " (avg)" : ""));
      }
    }
    if (out.isEmpty()) {
      return "<none>";
    }
    return out.size() > 3 ? String.join(", ", out.subList(0, 3)) + " + " + (out.size() - 3) + " more..." : String.join(", ", out);
  }

  private static String fieldOf(String type) {
    return switch (type) {
      case "Resource" -> "resource";
      case "ContainerResource" -> "containerResource";
      case "Pods" -> "pods";
      case "Object" -> "object";
      default -> "external";
    };
  }
}
