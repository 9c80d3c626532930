package dev.skiff.apiserver.registry.autoscaling;

import dev.skiff.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One metric's spec or status between autoscaling/v2's shape ({@code metric}, {@code target},
 * {@code current}) and autoscaling/v1's (the v2beta1 shape: {@code metricName},
 * {@code targetAverageValue}, ...), which is how the {@code autoscaling.alpha.kubernetes.io/metrics}
 * and {@code .../current-metrics} annotations of v1 objects hold the metrics v1 cannot express, as
 * upstream's {@code pkg/apis/autoscaling/v1/conversion.go} writes them. Specs and statuses differ
 * only in their words ({@code target}/{@code current}) and in which v1 quantities are Go
 * non-pointers, written as "0" when unset, as Go encodes them.
 */
final class V1Metrics {
  /** A spec (v2 {@code target}, v1 {@code target...}) or a status (v2 {@code current}, v1 {@code current...}). */
  enum Side {
    SPEC("target"), STATUS("current");

    final String word;

    Side(String word) {
      this.word = word;
    }

    /** v1's field for {@code suffix}: {@code targetAverageValue}, {@code currentValue}, ... */
    String v1(String suffix) {
      return word + suffix;
    }
  }

  private V1Metrics() {}

  /** A v2 MetricSpec or MetricStatus as v1 writes it. */
  static ObjectNode toV1(JsonNode m, Side side) {
    String type = m.path("type").asString("");
    ObjectNode out = Json.object().put("type", type);
    boolean status = side == Side.STATUS;
    switch (type) {
      case "Resource", "ContainerResource" -> {
        String field = field(type);
        JsonNode src = m.path(field);
        JsonNode value = src.path(side.word);
        ObjectNode r = out.putObject(field);
        r.set("name", src.path("name").deepCopy());
        copy(value, "averageUtilization", r, side.v1("AverageUtilization"));
        quantity(value, "averageValue", r, side.v1("AverageValue"), status);
        if (type.equals("ContainerResource")) {
          r.put("container", src.path("container").asString(""));
        }
      }
      case "Pods" -> {
        JsonNode src = m.path("pods");
        ObjectNode p = out.putObject("pods").put("metricName", src.path("metric").path("name").asString(""));
        quantity(src.path(side.word), "averageValue", p, side.v1("AverageValue"), true);
        copy(src.path("metric"), "selector", p, "selector");
      }
      case "Object" -> {
        JsonNode src = m.path("object");
        ObjectNode o = out.putObject("object");
        o.set("target", src.path("describedObject").deepCopy());
        o.put("metricName", src.path("metric").path("name").asString(""));
        quantity(src.path(side.word), "value", o, side.v1("Value"), true);
        copy(src.path("metric"), "selector", o, "selector");
        copy(src.path(side.word), "averageValue", o, "averageValue");
      }
      case "External" -> {
        JsonNode src = m.path("external");
        ObjectNode e = out.putObject("external").put("metricName", src.path("metric").path("name").asString(""));
        copy(src.path("metric"), "selector", e, "metricSelector");
        quantity(src.path(side.word), "value", e, side.v1("Value"), status);
        copy(src.path(side.word), "averageValue", e, side.v1("AverageValue"));
      }
      default -> { }
    }
    return out;
  }

  /** A v1 MetricSpec or MetricStatus (from an annotation) as v2 has it. */
  static ObjectNode toV2(JsonNode m, Side side) {
    String type = m.path("type").asString("");
    ObjectNode out = Json.object().put("type", type);
    switch (type) {
      case "Resource", "ContainerResource" -> {
        String field = field(type);
        JsonNode src = m.path(field);
        ObjectNode r = out.putObject(field);
        r.set("name", src.path("name").deepCopy());
        if (type.equals("ContainerResource")) {
          r.put("container", src.path("container").asString(""));
        }
        ObjectNode value = r.putObject(side.word);
        if (side == Side.SPEC) {
          value.put("type", src.has(side.v1("AverageUtilization")) ? "Utilization" : "AverageValue");
        }
        copy(src, side.v1("AverageUtilization"), value, "averageUtilization");
        copy(src, side.v1("AverageValue"), value, "averageValue");
      }
      case "Pods" -> {
        JsonNode src = m.path("pods");
        ObjectNode p = out.putObject("pods");
        metric(src, "selector", p);
        ObjectNode value = p.putObject(side.word);
        if (side == Side.SPEC) {
          value.put("type", "AverageValue");
        }
        copy(src, side.v1("AverageValue"), value, "averageValue");
      }
      case "Object" -> {
        JsonNode src = m.path("object");
        ObjectNode o = out.putObject("object");
        o.set("describedObject", src.path("target").deepCopy());
        metric(src, "selector", o);
        ObjectNode value = o.putObject(side.word);
        if (side == Side.SPEC) {
          value.put("type", src.has("averageValue") ? "AverageValue" : "Value");
        }
        copy(src, side.v1("Value"), value, "value");
        copy(src, "averageValue", value, "averageValue");
      }
      case "External" -> {
        JsonNode src = m.path("external");
        ObjectNode e = out.putObject("external");
        metric(src, "metricSelector", e);
        ObjectNode value = e.putObject(side.word);
        if (side == Side.SPEC) {
          value.put("type", src.has(side.v1("Value")) ? "Value" : "AverageValue");
        }
        copy(src, side.v1("Value"), value, "value");
        copy(src, side.v1("AverageValue"), value, "averageValue");
      }
      default -> { }
    }
    return out;
  }

  private static String field(String type) {
    return type.equals("Resource") ? "resource" : "containerResource";
  }

  /** v2's {@code metric: {name, selector}} from v1's {@code metricName} and selector field. */
  private static void metric(JsonNode src, String selectorField, ObjectNode into) {
    ObjectNode metric = into.putObject("metric").put("name", src.path("metricName").asString(""));
    copy(src, selectorField, metric, "selector");
  }

  /** A quantity; a Go non-pointer one ({@code required}) is written as "0" when unset. */
  private static void quantity(JsonNode from, String field, ObjectNode to, String as, boolean required) {
    copy(from, field, to, as);
    if (required && !to.has(as)) {
      to.put(as, "0");
    }
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode v = from.path(field);
    if (!v.isMissingNode() && !v.isNull()) {
      to.set(as, v.deepCopy());
    }
  }
}
