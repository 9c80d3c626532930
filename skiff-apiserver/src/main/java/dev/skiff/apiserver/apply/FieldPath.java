package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A path to one field, map entry or list item of an object, as a list of elements in upstream's
 * FieldsV1 spelling: {@code f:NAME} for a field or map key, {@code k:{"name":"nginx"}} for the item
 * of a keyed list, {@code v:VALUE} for the item of a set, {@code i:N} for a list item without key.
 * The spelling is canonical (key fields sorted, compact JSON), so equal paths have equal elements.
 * Immutable.
 *
 * @param elements the elements from the object's root
 */
public record FieldPath(List<String> elements) implements Comparable<FieldPath> {
  /** The object itself. */
  public static final FieldPath ROOT = new FieldPath(List.of());

  public FieldPath {
    elements = List.copyOf(elements);
  }

  /** A path of field names from the root, such as {@code of("spec", "replicas")}. */
  public static FieldPath of(String... fields) {
    List<String> out = new ArrayList<>();
    for (String f : fields) {
      out.add(field(f));
    }
    return new FieldPath(out);
  }

  /** The element of a field or map key. */
  public static String field(String name) {
    return "f:" + name;
  }

  /** The element of a keyed list item whose key fields have these values. */
  public static String key(Map<String, JsonNode> keyValues) {
    ObjectNode sorted = Json.object();
    new TreeMap<>(keyValues).forEach(sorted::set);
    return "k:" + Json.writeString(sorted);
  }

  /** The element of a set item. */
  public static String value(JsonNode item) {
    return "v:" + Json.writeString(item);
  }

  /** The element of a list item known only by its position. */
  public static String index(int i) {
    return "i:" + i;
  }

  public FieldPath child(String element) {
    List<String> out = new ArrayList<>(elements.size() + 1);
    out.addAll(elements);
    out.add(Objects.requireNonNull(element, "element"));
    return new FieldPath(out);
  }

  public boolean isRoot() {
    return elements.isEmpty();
  }

  /** Whether this path is {@code other} or lies above it. */
  public boolean isPrefixOf(FieldPath other) {
    if (other.elements.size() < elements.size()) {
      return false;
    }
    for (int i = 0; i < elements.size(); i++) {
      if (!elements.get(i).equals(other.elements.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Upstream's display form, used in conflict messages and causes:
   * {@code .spec.template.spec.containers[name="nginx"].image}, {@code .metadata.finalizers[="x"]}.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (String e : elements) {
      String body = e.substring(2);
      switch (e.charAt(0)) {
        case 'f' -> out.append('.').append(body);
        case 'v' -> out.append("[=").append(body).append(']');
        case 'i' -> out.append('[').append(body).append(']');
        default -> {
          List<String> parts = new ArrayList<>();
          Json.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).properties()
              .forEach(p -> parts.add(p.getKey() + "=" + Json.writeString(p.getValue())));
          out.append('[').append(String.join(",", parts)).append(']');
        }
      }
    }
    return out.toString();
  }

  @Override
  public int compareTo(FieldPath o) {
    int n = Math.min(elements.size(), o.elements.size());
    for (int i = 0; i < n; i++) {
      int c = elements.get(i).compareTo(o.elements.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(elements.size(), o.elements.size());
  }
}
