package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The JSON type checks that upstream's typed decoding makes before anything else: metadata fields
 * and string maps must hold the JSON types their Go fields have, or the request is a 400, not a
 * stored oddity. Covers the metadata and each strategy's {@link ResourceStrategy#stringMaps()}.
 */
final class TypeCheck {
  private static final List<String> META_STRINGS = List.of("name", "generateName", "namespace", "uid",
      "resourceVersion", "selfLink", "creationTimestamp", "deletionTimestamp");

  private TypeCheck() {}

  /** @throws StatusError 400 when a checked field has the wrong JSON type */
  static void check(JsonNode obj, ResourceDefinition def, ResourceStrategy strategy) {
    JsonNode meta = obj.get("metadata");
    if (meta == null || meta.isNull()) {
      return;
    }
    if (!meta.isObject()) {
      throw wrong(def, meta, def.kind() + ".metadata", "v1.ObjectMeta");
    }
    for (String f : META_STRINGS) {
      JsonNode v = meta.get(f);
      if (v != null && !v.isNull() && !v.isString()) {
        throw wrong(def, v, "ObjectMeta.metadata." + f, "string");
      }
    }
    stringMap(def, meta.get("labels"), "ObjectMeta.metadata.labels");
    stringMap(def, meta.get("annotations"), "ObjectMeta.metadata.annotations");
    JsonNode finalizers = meta.get("finalizers");
    if (finalizers != null && !finalizers.isNull()) {
      if (!finalizers.isArray()) {
        throw wrong(def, finalizers, "ObjectMeta.metadata.finalizers", "[]string");
      }
      for (JsonNode f : finalizers) {
        if (!f.isString()) {
          throw wrong(def, f, "ObjectMeta.metadata.finalizers", "string");
        }
      }
    }
    for (String path : strategy.stringMaps()) {
      JsonNode v = obj;
      for (String part : path.split("\\.")) {
        v = v.path(part);
      }
      if (!v.isMissingNode()) {
        stringMap(def, v, def.kind() + "." + path);
      }
    }
  }

  private static void stringMap(ResourceDefinition def, JsonNode map, String goPath) {
    if (map == null || map.isNull()) {
      return;
    }
    if (!map.isObject()) {
      throw wrong(def, map, goPath, "map[string]string");
    }
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      if (!e.getValue().isString() && !e.getValue().isNull()) {
        throw wrong(def, e.getValue(), goPath, "string");
      }
    }
  }

  private static StatusError wrong(ResourceDefinition def, JsonNode value, String goPath, String goType) {
    String jsonType = value.isNumber() ? "number" : value.isBoolean() ? "bool" : value.isArray() ? "array"
        : value.isObject() ? "object" : "string";
    return StatusError.badRequest("%s in version \"%s\" cannot be handled as a %s: json: cannot unmarshal %s into Go struct field %s of type %s"
        .formatted(def.kind(), def.version(), def.kind(), jsonType, goPath, goType));
  }
}
