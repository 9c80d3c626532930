package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.json.Json;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merging an applied configuration into the live object, and taking fields out again, by the
 * schema rather than by strategic-merge directives, as upstream's {@code TypedValue.Merge} and
 * {@code RemoveItems}: maps merge key by key, keyed lists and sets item by item (live items keep
 * their place, new ones follow), atomic lists and maps and scalars are replaced.
 */
public final class ApplyMerge {
  private ApplyMerge() {}

  /** {@code config} merged over {@code live} (either may be null). Neither argument is changed. */
  public static JsonNode merge(JsonNode live, JsonNode config, ApplySchema schema) {
    return merge(live, config, schema, true);
  }

  private static JsonNode merge(JsonNode live, JsonNode config, ApplySchema schema, boolean root) {
    if (config == null) {
      return live == null ? null : live.deepCopy();
    }
    if (live == null || live.isNull()) {
      // merged into nothing: still drops the config's nulls, which only mean "not set"
      return config.isObject() && (root || !schema.atomic()) ? merge(Json.object(), config, schema, root)
          : config.deepCopy();
    }
    if (live.isObject() && config.isObject() && (root || !schema.atomic())) {
      ObjectNode out = (ObjectNode) live.deepCopy();
      for (Map.Entry<String, JsonNode> e : config.properties()) {
        if (e.getValue().isNull()) {
          // an applied null clears the field (the applier still owns it)
          out.remove(e.getKey());
        } else {
          out.set(e.getKey(), merge(live.get(e.getKey()), e.getValue(), schema.field(e.getKey()), false));
        }
      }
      return out;
    }
    ListType type = schema.listType();
    if (live.isArray() && config.isArray() && !(type instanceof ListType.Atomic)) {
      Map<String, JsonNode> applied = ObjectFields.items(config, type);
      Map<String, JsonNode> existing = ObjectFields.items(live, type);
      ArrayNode out = Json.nodes().arrayNode();
      existing.forEach((element, item) -> out.add(applied.containsKey(element)
          ? merge(item, applied.get(element), schema.items(), false) : item.deepCopy()));
      applied.forEach((element, item) -> {
        if (!existing.containsKey(element)) {
          out.add(item.deepCopy());
        }
      });
      return out;
    }
    return config.deepCopy();
  }

  /** Removes the field, map key or list item at {@code path} from {@code obj}, if there. */
  public static void remove(JsonNode obj, FieldPath path, ApplySchema schema) {
    if (path.isRoot()) {
      return;
    }
    JsonNode node = obj;
    ApplySchema s = schema;
    var elements = path.elements();
    for (int i = 0; i < elements.size(); i++) {
      String e = elements.get(i);
      boolean last = i == elements.size() - 1;
      if (e.startsWith("f:")) {
        String name = e.substring(2);
        if (!(node instanceof ObjectNode o) || !o.has(name)) {
          return;
        }
        if (last) {
          o.remove(name);
          return;
        }
        node = o.get(name);
        s = s.field(name);
      } else {
        if (!(node instanceof ArrayNode list)) {
          return;
        }
        int found = -1;
        ListType type = s.listType();
        for (int j = 0; j < list.size() && found < 0; j++) {
          if (ObjectFields.element(list.get(j), type, j).equals(e)) {
            found = j;
          }
        }
        if (found < 0) {
          return;
        }
        if (last) {
          list.remove(found);
          return;
        }
        node = list.get(found);
        s = s.items();
      }
    }
  }
}
