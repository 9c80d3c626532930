package dev.skiff.apiserver.registry.autoscaling;

import dev.skiff.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code autoscaling.alpha.kubernetes.io/behavior} annotation of autoscaling/v1 objects. Upstream
 * marshals its internal {@code HorizontalPodAutoscalerBehavior}, a Go struct without JSON tags, so
 * the annotation spells fields as Go does ({@code ScaleUp}, {@code StabilizationWindowSeconds},
 * {@code SelectPolicy}, {@code Policies} of {@code Type}, {@code Value}, {@code PeriodSeconds}) and
 * writes unset pointers as {@code null}. Kept byte-compatible so objects move between Skiff and
 * upstream servers.
 */
final class BehaviorAnnotation {
  private BehaviorAnnotation() {}

  /** v2's {@code spec.behavior} as the annotation holds it. */
  static ObjectNode fromV2(JsonNode behavior) {
    ObjectNode out = Json.object();
    out.set("ScaleUp", rulesFromV2(behavior.path("scaleUp")));
    out.set("ScaleDown", rulesFromV2(behavior.path("scaleDown")));
    return out;
  }

  private static JsonNode rulesFromV2(JsonNode rules) {
    if (!rules.isObject()) {
      return Json.nodes().nullNode();
    }
    ObjectNode out = Json.object();
    out.set("StabilizationWindowSeconds", orNull(rules.path("stabilizationWindowSeconds")));
    out.set("SelectPolicy", orNull(rules.path("selectPolicy")));
    if (rules.path("policies").isArray()) {
      var policies = out.putArray("Policies");
      for (JsonNode p : rules.path("policies")) {
        policies.addObject().put("Type", p.path("type").asString(""))
            .put("Value", p.path("value").asInt(0)).put("PeriodSeconds", p.path("periodSeconds").asInt(0));
      }
    } else {
      out.putNull("Policies");
    }
    return out;
  }

  /** The annotation's behavior as v2's {@code spec.behavior}; null when it sets no rules. */
  static ObjectNode toV2(JsonNode annotation) {
    ObjectNode out = Json.object();
    if (annotation.path("ScaleUp").isObject()) {
      out.set("scaleUp", rulesToV2(annotation.path("ScaleUp")));
    }
    if (annotation.path("ScaleDown").isObject()) {
      out.set("scaleDown", rulesToV2(annotation.path("ScaleDown")));
    }
    return out.isEmpty() ? null : out;
  }

  private static ObjectNode rulesToV2(JsonNode rules) {
    ObjectNode out = Json.object();
    if (rules.path("StabilizationWindowSeconds").isNumber()) {
      out.put("stabilizationWindowSeconds", rules.path("StabilizationWindowSeconds").asInt());
    }
    if (rules.path("SelectPolicy").isString()) {
      out.put("selectPolicy", rules.path("SelectPolicy").asString());
    }
    if (rules.path("Policies").isArray()) {
      var policies = out.putArray("policies");
      for (JsonNode p : rules.path("Policies")) {
        policies.addObject().put("type", p.path("Type").asString(""))
            .put("value", p.path("Value").asInt(0)).put("periodSeconds", p.path("PeriodSeconds").asInt(0));
      }
    }
    return out;
  }

  private static JsonNode orNull(JsonNode v) {
    return v.isMissingNode() || v.isNull() ? Json.nodes().nullNode() : v.deepCopy();
  }
}
