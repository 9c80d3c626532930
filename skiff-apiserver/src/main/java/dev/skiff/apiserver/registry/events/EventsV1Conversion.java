package dev.skiff.apiserver.registry.events;

import dev.skiff.apiserver.conversion.VersionConversion;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * events.k8s.io/v1 Events to and from core/v1 Events, the form both are stored in (upstream stores
 * the two groups' events together and converts, {@code pkg/apis/events/v1/conversion.go}): the
 * fields that only changed name are renamed ({@code regarding} is {@code involvedObject},
 * {@code note} is {@code message}, {@code reportingController} is {@code reportingComponent}, and
 * the {@code deprecated*} fields are core's {@code source}, {@code firstTimestamp},
 * {@code lastTimestamp} and {@code count}); the rest is shared as it is.
 */
public final class EventsV1Conversion implements VersionConversion {
  /** events.k8s.io/v1 name → core/v1 name, for the fields that differ. */
  static final Map<String, String> RENAMED = Map.of(
      "regarding", "involvedObject",
      "note", "message",
      "reportingController", "reportingComponent",
      "deprecatedSource", "source",
      "deprecatedFirstTimestamp", "firstTimestamp",
      "deprecatedLastTimestamp", "lastTimestamp",
      "deprecatedCount", "count");
  private static final List<String> SHARED = List.of("metadata", "related", "reason", "type", "action",
      "reportingInstance", "eventTime", "series");

  @Override
  public ObjectNode toStorage(ObjectNode served) {
    ObjectNode core = convert(served, false);
    core.put("apiVersion", "v1");
    core.put("kind", "Event");
    return core;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    ObjectNode v1 = convert(stored, true);
    v1.put("apiVersion", "events.k8s.io/v1");
    v1.put("kind", "Event");
    return v1;
  }

  private static ObjectNode convert(ObjectNode from, boolean coreToV1) {
    ObjectNode out = from.objectNode();
    out.set("kind", from.get("kind"));
    out.set("apiVersion", from.get("apiVersion"));
    for (String field : SHARED) {
      copy(from, field, out, field);
    }
    RENAMED.forEach((v1Name, coreName) -> {
      if (coreToV1) {
        copy(from, coreName, out, v1Name);
      } else {
        copy(from, v1Name, out, coreName);
      }
    });
    if (coreToV1) {
      // a core count of 0 (or none) is how core says "not counted": events/v1 leaves deprecatedCount out
      if (out.path("deprecatedCount").asInt(0) == 0) {
        out.remove("deprecatedCount");
      }
      if (out.path("deprecatedSource").isObject() && out.path("deprecatedSource").isEmpty()) {
        out.remove("deprecatedSource");
      }
    }
    return out;
  }

  private static void copy(ObjectNode from, String name, ObjectNode to, String as) {
    JsonNode v = from.get(name);
    if (v != null && !v.isNull()) {
      to.set(as, v);
    }
  }
}
