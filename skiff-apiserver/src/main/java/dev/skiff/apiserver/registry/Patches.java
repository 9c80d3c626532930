package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies the patch formats of {@code PATCH} requests to an object tree: JSON merge patch
 * (RFC 7386), JSON patch (RFC 6902) and strategic merge patch ({@link StrategicMergePatch}).
 */
public final class Patches {
  private Patches() {}

  public enum Type { JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH }

  /** The strategic-merge keys of a list field of a built-in kind, by field name (empty: not keyed). */
  public static List<String> mergeKeys(String field) {
    return StrategicMergePatch.mergeKeys(field);
  }

  public static JsonNode apply(Type type, JsonNode target, JsonNode patch) {
    return switch (type) {
      case MERGE_PATCH -> mergePatch(target, patch);
      case STRATEGIC_MERGE_PATCH -> StrategicMergePatch.apply(target, patch);
      case JSON_PATCH -> jsonPatch(target, patch);
    };
  }

  /** RFC 7386: objects merge, null removes, everything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : Json.object();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw StatusError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      String kind = op.path("op").asString("");
      String path = op.path("path").asString("");
      switch (kind) {
        case "add" -> doc = put(doc, path, value(op), true);
        case "replace" -> {
          get(doc, path);
          doc = put(doc, path, value(op), false);
        }
        case "remove" -> doc = remove(doc, path);
        case "move" -> {
          JsonNode v = get(doc, op.path("from").asString(""));
          doc = remove(doc, op.path("from").asString(""));
          doc = put(doc, path, v, true);
        }
        case "copy" -> doc = put(doc, path, get(doc, op.path("from").asString("")).deepCopy(), true);
        case "test" -> {
          if (!get(doc, path).equals(value(op))) {
            throw StatusError.badRequest("the server rejected our request due to an error in our request");
          }
        }
        default -> throw StatusError.badRequest("Unexpected kind: " + kind);
      }
    }
    return doc;
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw StatusError.badRequest("missing value");
    }
    return op.get("value").deepCopy();
  }

  private static String[] tokens(String path) {
    if (path.isEmpty()) {
      return new String[0];
    }
    if (!path.startsWith("/")) {
      throw StatusError.badRequest("invalid JSON pointer: " + path);
    }
    String[] t = path.substring(1).split("/", -1);
    for (int i = 0; i < t.length; i++) {
      t[i] = t[i].replace("~1", "/").replace("~0", "~");
    }
    return t;
  }

  private static JsonNode get(JsonNode doc, String path) {
    JsonNode cur = doc;
    for (String t : tokens(path)) {
      cur = cur.isArray() ? cur.get(index(t, cur.size())) : cur.get(t);
      if (cur == null) {
        throw StatusError.unprocessable("doc is missing path: \"" + path + "\": missing value");
      }
    }
    return cur;
  }

  private static JsonNode put(JsonNode doc, String path, JsonNode value, boolean insert) {
    String[] t = tokens(path);
    if (t.length == 0) {
      return value;
    }
    JsonNode parent = get(doc, parentPath(t));
    String last = t[t.length - 1];
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else if (insert) {
        a.insert(index(last, a.size() + 1), value);
      } else {
        a.set(index(last, a.size()), value);
      }
    } else {
      throw StatusError.unprocessable("doc is missing path: \"" + path + "\": missing value");
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path) {
    String[] t = tokens(path);
    JsonNode parent = get(doc, parentPath(t));
    String last = t[t.length - 1];
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size()));
    } else {
      throw StatusError.unprocessable("Unable to remove nonexistent key: " + last + ": missing value");
    }
    return doc;
  }

  private static String parentPath(String[] t) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < t.length - 1; i++) {
      s.append('/').append(t[i].replace("~", "~0").replace("/", "~1"));
    }
    return s.toString();
  }

  private static int index(String t, int size) {
    try {
      int i = Integer.parseInt(t);
      if (i < 0 || i >= size) {
        throw StatusError.unprocessable("Unable to access invalid index: " + i + ": invalid index referenced");
      }
      return i;
    } catch (NumberFormatException e) {
      throw StatusError.badRequest("invalid array index: " + t);
    }
  }
}
