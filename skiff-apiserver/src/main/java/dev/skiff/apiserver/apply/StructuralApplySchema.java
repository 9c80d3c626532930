package dev.skiff.apiserver.apply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The apply schema of a custom resource, read from its structural {@code openAPIV3Schema}: list
 * types and keys from {@code x-kubernetes-list-type} and {@code x-kubernetes-list-map-keys} (with
 * the key fields' defaults), atomic maps from {@code x-kubernetes-map-type}, declared fields from
 * {@code properties}. {@code metadata} at the root follows the built-in schema.
 *
 * @param node the schema at this place (a missing node where the schema says nothing)
 * @param root whether this is the resource's root
 */
record StructuralApplySchema(JsonNode node, boolean root) implements ApplySchema {
  @Override
  public ApplySchema field(String name) {
    if (root && name.equals("metadata")) {
      return BuiltInApplySchema.ROOT.field("metadata");
    }
    JsonNode p = node.path("properties").path(name);
    if (p.isMissingNode() && node.path("additionalProperties").isObject()) {
      p = node.path("additionalProperties");
    }
    return new StructuralApplySchema(p, false);
  }

  @Override
  public ApplySchema items() {
    return new StructuralApplySchema(node.path("items"), false);
  }

  @Override
  public ListType listType() {
    return switch (node.path("x-kubernetes-list-type").asString("atomic")) {
      case "set" -> ListType.SET;
      case "map" -> {
        List<String> keys = new ArrayList<>();
        Map<String, JsonNode> defaults = new HashMap<>();
        for (JsonNode k : node.path("x-kubernetes-list-map-keys")) {
          keys.add(k.asString());
          JsonNode d = node.path("items").path("properties").path(k.asString()).path("default");
          if (!d.isMissingNode()) {
            defaults.put(k.asString(), d);
          }
        }
        yield new ListType.Map(keys, defaults);
      }
      default -> ListType.ATOMIC;
    };
  }

  @Override
  public boolean atomic() {
    return node.path("x-kubernetes-map-type").asString("").equals("atomic");
  }

  @Override
  public boolean declares(String name) {
    return node.path("properties").has(name) || (root && name.equals("metadata"));
  }
}
