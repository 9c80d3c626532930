package dev.skiff.apiserver.registry.autoscaling;

import dev.skiff.apiserver.conversion.VersionConversion;
import dev.skiff.apiserver.json.Json;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * autoscaling/v1 HorizontalPodAutoscalers to and from autoscaling/v2, their storage version, with
 * upstream's rules ({@code pkg/apis/autoscaling/v1/conversion.go}): v1's
 * {@code spec.targetCPUUtilizationPercentage} is a Resource metric (cpu, Utilization) and
 * {@code status.currentCPUUtilizationPercentage} its current utilization; what v1 cannot express
 * (other metrics, all current metrics, behavior, conditions) travels in v1 objects as the
 * {@value #METRICS}, {@value #CURRENT_METRICS}, {@value #BEHAVIOR} and {@value #CONDITIONS}
 * annotations, which the conversion to v2 consumes and removes. A v1 object without any metric gets
 * upstream's implicit 80% CPU target. Annotations that do not parse are ignored, as upstream does.
 */
public final class HorizontalPodAutoscalerV1Conversion implements VersionConversion {
  static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
  static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
  static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
  static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";
  private static final List<String> ROUND_TRIP = List.of(METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR);
  private static final int DEFAULT_CPU_UTILIZATION = 80;

  @Override
  public ObjectNode toStorage(ObjectNode v1) {
    JsonNode annotations = v1.path("metadata").path("annotations").deepCopy();
    ObjectNode v2 = commonPart(v1, "autoscaling/v2");
    JsonNode spec = v1.path("spec");
    ObjectNode outSpec = (ObjectNode) v2.get("spec");
    ArrayNode metrics = outSpec.putArray("metrics");
    JsonNode other = parse(annotations.path(METRICS));
    if (other.isArray()) {
      other.forEach(m -> metrics.add(V1Metrics.toV2(m, V1Metrics.Side.SPEC)));
    }
    if (spec.path("targetCPUUtilizationPercentage").isNumber()) {
      metrics.add(cpuUtilization(spec.path("targetCPUUtilizationPercentage").asInt()));
    }
    if (metrics.isEmpty()) {
      metrics.add(cpuUtilization(DEFAULT_CPU_UTILIZATION));
    }
    JsonNode behavior = parse(annotations.path(BEHAVIOR));
    ObjectNode converted = behavior.isObject() ? BehaviorAnnotation.toV2(behavior) : null;
    if (converted != null) {
      outSpec.set("behavior", converted);
    }
    if (v1.has("status")) {
      v2.set("status", statusToV2(v1.path("status"), annotations));
    }
    return v2;
  }

  private static ObjectNode statusToV2(JsonNode status, JsonNode annotations) {
    ObjectNode out = Json.object();
    copy(status, "observedGeneration", out);
    copy(status, "lastScaleTime", out);
    copy(status, "currentReplicas", out);
    out.put("desiredReplicas", status.path("desiredReplicas").asInt(0));
    JsonNode current = parse(annotations.path(CURRENT_METRICS));
    if (current.isArray()) {
      // the annotation has more than the CPU percentage: it wins over status fields
      ArrayNode metrics = out.putArray("currentMetrics");
      current.forEach(m -> metrics.add(V1Metrics.toV2(m, V1Metrics.Side.STATUS)));
    } else if (status.path("currentCPUUtilizationPercentage").isNumber()) {
      ObjectNode cpu = out.putArray("currentMetrics").addObject().put("type", "Resource");
      cpu.putObject("resource").put("name", "cpu").putObject("current")
          .put("averageUtilization", status.path("currentCPUUtilizationPercentage").asInt());
    }
    JsonNode conditions = parse(annotations.path(CONDITIONS));
    if (conditions.isArray()) {
      out.set("conditions", conditions);
    }
    return out;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode v2) {
    ObjectNode v1 = commonPart(v2, "autoscaling/v1");
    ObjectNode meta = (ObjectNode) v1.get("metadata");
    JsonNode spec = v2.path("spec");
    ObjectNode outSpec = (ObjectNode) v1.get("spec");
    ArrayNode other = Json.nodes().arrayNode();
    boolean cpuSeen = false;
    for (JsonNode m : spec.path("metrics")) {
      boolean cpu = m.path("type").asString("").equals("Resource") && m.path("resource").path("name").asString("").equals("cpu");
      JsonNode utilization = m.path("resource").path("target").path("averageUtilization");
      if (cpu && !cpuSeen && utilization.isNumber()) {
        outSpec.put("targetCPUUtilizationPercentage", utilization.asInt());
      }
      cpuSeen |= cpu;
      if (!(cpu && utilization.isNumber())) {
        other.add(V1Metrics.toV1(m, V1Metrics.Side.SPEC));
      }
    }
    JsonNode status = v2.path("status");
    ObjectNode outStatus = v1.putObject("status");
    copy(status, "observedGeneration", outStatus);
    copy(status, "lastScaleTime", outStatus);
    outStatus.put("currentReplicas", status.path("currentReplicas").asInt(0));
    outStatus.put("desiredReplicas", status.path("desiredReplicas").asInt(0));
    ArrayNode current = Json.nodes().arrayNode();
    for (JsonNode m : status.path("currentMetrics")) {
      JsonNode utilization = m.path("resource").path("current").path("averageUtilization");
      if (m.path("type").asString("").equals("Resource") && m.path("resource").path("name").asString("").equals("cpu")
          && utilization.isNumber()) {
        outStatus.put("currentCPUUtilizationPercentage", utilization.asInt());
      }
      current.add(V1Metrics.toV1(m, V1Metrics.Side.STATUS));
    }
    if (!other.isEmpty()) {
      annotate(meta, METRICS, other);
    }
    if (!current.isEmpty()) {
      annotate(meta, CURRENT_METRICS, current);
    }
    if (spec.path("behavior").isObject()) {
      annotate(meta, BEHAVIOR, BehaviorAnnotation.fromV2(spec.path("behavior")));
    }
    if (!status.path("conditions").isEmpty()) {
      annotate(meta, CONDITIONS, status.path("conditions"));
    }
    return v1;
  }

  /**
   * A new object at {@code apiVersion} with what both versions share: metadata without the
   * round-trip annotations, the target and the replica bounds.
   */
  private static ObjectNode commonPart(ObjectNode from, String apiVersion) {
    ObjectNode out = Json.object().put("kind", "HorizontalPodAutoscaler").put("apiVersion", apiVersion);
    ObjectNode meta = from.path("metadata") instanceof ObjectNode m ? m.deepCopy() : Json.object();
    dropRoundTrip(meta);
    out.set("metadata", meta);
    JsonNode spec = from.path("spec");
    ObjectNode outSpec = out.putObject("spec");
    copy(spec, "scaleTargetRef", outSpec);
    copy(spec, "minReplicas", outSpec);
    copy(spec, "maxReplicas", outSpec);
    return out;
  }

  private static ObjectNode cpuUtilization(int percent) {
    ObjectNode metric = Json.object().put("type", "Resource");
    metric.putObject("resource").put("name", "cpu").putObject("target")
        .put("type", "Utilization").put("averageUtilization", percent);
    return metric;
  }

  private static void dropRoundTrip(ObjectNode meta) {
    if (meta.path("annotations") instanceof ObjectNode a) {
      a.remove(ROUND_TRIP);
      if (a.isEmpty()) {
        meta.remove("annotations");
      }
    }
  }

  private static void annotate(ObjectNode meta, String key, JsonNode value) {
    Json.objectAt(meta, "annotations").put(key, Json.writeString(value));
  }

  /** An annotation's JSON value; a missing node when absent or not JSON. */
  private static JsonNode parse(JsonNode annotation) {
    if (!annotation.isString()) {
      return MissingNode.getInstance();
    }
    try {
      return Json.parse(annotation.asString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      return MissingNode.getInstance();
    }
  }

  private static void copy(JsonNode from, String field, ObjectNode to) {
    JsonNode v = from.path(field);
    if (!v.isMissingNode() && !v.isNull()) {
      to.set(field, v.deepCopy());
    }
  }
}
