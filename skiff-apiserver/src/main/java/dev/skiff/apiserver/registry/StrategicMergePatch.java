package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), as upstream's
 * {@code strategicpatch} applies it to the built-in types Skiff serves: maps merge, lists with a
 * patch merge key ({@code containers} by {@code name}, container {@code ports} by
 * {@code containerPort}, {@code volumeMounts} by {@code mountPath}, ...) merge element by element,
 * {@code finalizers} merge as a set, other lists are replaced. Honours the directives kubectl's
 * three-way patches use: {@code $patch: delete|replace}, {@code $retainKeys},
 * {@code $deleteFromPrimitiveList/FIELD}; {@code $setElementOrder/FIELD} is accepted and ignored.
 *
 * <p>The merge keys are looked up by field name, not by a schema of each type: good for the types
 * served today, to be replaced by schema-driven keys when OpenAPI schemas exist.
 */
final class StrategicMergePatch {
  /** Upstream's {@code patchMergeKey}s; for {@code ports} the first key an element has. */
  private static final Map<String, List<String>> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", List.of("name")),
      Map.entry("initContainers", List.of("name")),
      Map.entry("ephemeralContainers", List.of("name")),
      Map.entry("env", List.of("name")),
      Map.entry("volumes", List.of("name")),
      Map.entry("imagePullSecrets", List.of("name")),
      Map.entry("volumeMounts", List.of("mountPath")),
      Map.entry("volumeDevices", List.of("devicePath")),
      Map.entry("ports", List.of("containerPort", "port")),
      Map.entry("conditions", List.of("type")),
      Map.entry("hostAliases", List.of("ip")),
      Map.entry("ownerReferences", List.of("uid")),
      Map.entry("readinessGates", List.of("conditionType")),
      Map.entry("topologySpreadConstraints", List.of("topologyKey")),
      Map.entry("addresses", List.of("type")));
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");
  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /** The merge keys of a list field, by its name; empty when the list is not merged by key. */
  static List<String> mergeKeys(String field) {
    return MERGE_KEYS.getOrDefault(field, List.of());
  }

  /** The patched object, or null when the patch deletes it ({@code $patch: delete}). */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    String directive = patch.path("$patch").asString("");
    if (directive.equals("delete")) {
      return null;
    }
    ObjectNode out = !directive.equals("replace") && target != null && target.isObject()
        ? (ObjectNode) target.deepCopy() : Json.object();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (k.startsWith(DELETE_FROM)) {
        String field = k.substring(DELETE_FROM.length());
        if (out.get(field) instanceof ArrayNode list) {
          Set<JsonNode> gone = new HashSet<>();
          v.forEach(gone::add);
          for (int i = list.size() - 1; i >= 0; i--) {
            if (gone.contains(list.get(i))) {
              list.remove(i);
            }
          }
        }
      } else if (k.startsWith("$")) {
        continue; // $patch, $retainKeys (below), $setElementOrder/...: no content of their own
      } else if (v.isNull()) {
        out.remove(k);
      } else if (v.isObject()) {
        JsonNode merged = apply(out.get(k), v);
        if (merged == null) {
          out.remove(k);
        } else {
          out.set(k, merged);
        }
      } else if (v.isArray()) {
        out.set(k, list(k, out.get(k), (ArrayNode) v));
      } else {
        out.set(k, v.deepCopy());
      }
    }
    JsonNode retain = patch.get("$retainKeys");
    if (retain != null && retain.isArray()) {
      Set<String> keep = new HashSet<>();
      retain.forEach(n -> keep.add(n.asString("")));
      out.properties().removeIf(e -> !keep.contains(e.getKey()));
    }
    return out;
  }

  private static ArrayNode list(String field, JsonNode existing, ArrayNode patch) {
    ArrayNode current = existing instanceof ArrayNode a ? a.deepCopy() : Json.nodes().arrayNode();
    if (MERGED_PRIMITIVE_LISTS.contains(field)) {
      for (JsonNode v : patch) {
        if (!contains(current, v)) {
          current.add(v.deepCopy());
        }
      }
      return current;
    }
    List<String> keys = MERGE_KEYS.get(field);
    boolean replace = false;
    for (JsonNode p : patch) {
      replace |= p.isObject() && p.path("$patch").asString("").equals("replace") && p.size() == 1;
    }
    if (keys == null || replace || !allObjects(patch)) {
      ArrayNode out = Json.nodes().arrayNode();
      for (JsonNode p : patch) {
        if (!(p.isObject() && p.has("$patch") && p.size() == 1)) {
          out.add(p.isObject() ? apply(Json.object(), p) : p.deepCopy());
        }
      }
      return out;
    }
    for (JsonNode p : patch) {
      String key = keys.stream().filter(p::has).findFirst().orElse(null);
      int found = -1;
      for (int i = 0; key != null && i < current.size(); i++) {
        if (current.get(i).path(key).equals(p.get(key))) {
          found = i;
        }
      }
      JsonNode merged = apply(found >= 0 ? current.get(found) : Json.object(), p);
      if (merged == null) {
        if (found >= 0) {
          current.remove(found);
        }
      } else if (found >= 0) {
        current.set(found, merged);
      } else {
        current.add(merged);
      }
    }
    return current;
  }

  private static boolean allObjects(ArrayNode a) {
    for (JsonNode n : a) {
      if (!n.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(ArrayNode a, JsonNode v) {
    for (JsonNode n : a) {
      if (n.equals(v)) {
        return true;
      }
    }
    return false;
  }
}
