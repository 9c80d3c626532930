package dev.skiff.apiserver.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The fields an object sets, as upstream's {@code TypedValue.ToFieldSet}: every scalar, every
 * atomic list or map as a whole, every item of a granular list (and its fields), every map key
 * that is not a declared struct field, and empty maps and nulls. What an applier's configuration
 * yields is exactly what it owns.
 */
public final class ObjectFields {
  private ObjectFields() {}

  /** The field set of {@code obj} (an object) under {@code schema}. */
  public static FieldSet of(JsonNode obj, ApplySchema schema) {
    List<FieldPath> out = new ArrayList<>();
    collect(obj, schema, FieldPath.ROOT, out);
    return FieldSet.of(out);
  }

  private static void collect(JsonNode v, ApplySchema schema, FieldPath at, List<FieldPath> out) {
    if (v.isObject()) {
      if (schema.atomic() && !at.isRoot()) {
        out.add(at);
        return;
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        FieldPath child = at.child(FieldPath.field(e.getKey()));
        JsonNode value = e.getValue();
        collect(value, schema.field(e.getKey()), child, out);
        if (value.isNull() || (value.isObject() && value.isEmpty()) || !schema.declares(e.getKey())) {
          out.add(child);
        }
      }
    } else if (v.isArray()) {
      ListType type = schema.listType();
      if (type instanceof ListType.Atomic) {
        out.add(at);
        return;
      }
      items(v, type).forEach((element, item) -> {
        FieldPath child = at.child(element);
        collect(item, schema.items(), child, out);
        out.add(child);
      });
    } else {
      out.add(at);
    }
  }

  /**
   * The keyed lists and sets of {@code obj} that hold an item twice, as upstream reports them
   * ({@code .spec.containers: duplicate entries for key [name="a"]}): such an object has no field set.
   */
  public static List<String> duplicates(JsonNode obj, ApplySchema schema) {
    List<String> out = new ArrayList<>();
    findDuplicates(obj, schema, FieldPath.ROOT, out);
    return out;
  }

  private static void findDuplicates(JsonNode v, ApplySchema schema, FieldPath at, List<String> out) {
    if (v.isObject() && (at.isRoot() || !schema.atomic())) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        findDuplicates(e.getValue(), schema.field(e.getKey()), at.child(FieldPath.field(e.getKey())), out);
      }
    } else if (v.isArray() && !(schema.listType() instanceof ListType.Atomic)) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < v.size(); i++) {
        String element = element(v.get(i), schema.listType(), i);
        if (!seen.add(element)) {
          String shown = FieldPath.ROOT.child(element).toString();
          out.add(at + ": duplicate entries for " + (element.startsWith("k:") ? "key " + shown : "value " + shown));
        }
        findDuplicates(v.get(i), schema.items(), at.child(element), out);
      }
    }
  }

  /** The items of a granular list by their path elements, in list order. */
  static Map<String, JsonNode> items(JsonNode list, ListType type) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (list == null || !list.isArray()) {
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      out.putIfAbsent(element(list.get(i), type, i), list.get(i));
    }
    return out;
  }

  /** The path element of item {@code index} of a list of {@code type}. */
  static String element(JsonNode item, ListType type, int index) {
    if (type instanceof ListType.Map(List<String> keys, Map<String, JsonNode> defaults) && item.isObject()) {
      Map<String, JsonNode> key = new LinkedHashMap<>();
      for (String k : keys) {
        JsonNode v = item.get(k);
        if (v != null && !v.isNull()) {
          key.put(k, v);
        }
      }
      if (key.isEmpty()) {
        return FieldPath.index(index);
      }
      // a default stands in for a key field the item leaves out, as upstream's schema defaults do
      defaults.forEach(key::putIfAbsent);
      return FieldPath.key(key);
    }
    return FieldPath.value(item);
  }
}
