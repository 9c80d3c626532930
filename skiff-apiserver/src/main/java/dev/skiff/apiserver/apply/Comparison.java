package dev.skiff.apiserver.apply;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a write changed, as upstream's {@code typed.Comparison}: paths present only after it
 * ({@code added}, including each new map or list item itself), present only before it
 * ({@code removed}), and scalars or atomic values whose value changed ({@code modified}).
 */
public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
  /** Compares {@code before} and {@code after} (objects; {@code before} may be null) under {@code schema}. */
  public static Comparison of(JsonNode before, JsonNode after, ApplySchema schema) {
    List<FieldPath> added = new ArrayList<>();
    List<FieldPath> modified = new ArrayList<>();
    List<FieldPath> removed = new ArrayList<>();
    new Walk(added, modified, removed).compare(before, after, schema, FieldPath.ROOT);
    return new Comparison(FieldSet.of(added), FieldSet.of(modified), FieldSet.of(removed));
  }

  public boolean isSame() {
    return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
  }

  /** The comparison with paths at or below {@code prefixes} left out. */
  public Comparison without(List<FieldPath> prefixes) {
    return new Comparison(added.withoutPrefixes(prefixes), modified.withoutPrefixes(prefixes),
        removed.withoutPrefixes(prefixes));
  }

  private record Walk(List<FieldPath> added, List<FieldPath> modified, List<FieldPath> removed) {
    void compare(JsonNode l, JsonNode r, ApplySchema schema, FieldPath at) {
      l = l == null || l.isMissingNode() ? null : l;
      r = r == null || r.isMissingNode() ? null : r;
      // equal values add, change and remove nothing at or below here: skip the walk (an update leaves
      // most of an object as it was, and the walk builds a path for every field it visits)
      if (l != null && r != null && !at.isRoot() && l.equals(r)) {
        return;
      }
      boolean objects = (l == null || l.isObject()) && (r == null || r.isObject()) && (at.isRoot() || !schema.atomic());
      boolean lists = (l == null || l.isArray()) && (r == null || r.isArray())
          && !(schema.listType() instanceof ListType.Atomic);
      if ((l != null || r != null) && (objects || lists)) {
        if (!at.isRoot()) {
          if (l == null) {
            added.add(at);
          } else if (r == null) {
            removed.add(at);
          }
        }
        if (objects) {
          Set<String> names = new LinkedHashSet<>();
          if (l != null) {
            l.propertyNames().forEach(names::add);
          }
          if (r != null) {
            r.propertyNames().forEach(names::add);
          }
          for (String n : names) {
            compare(l == null ? null : l.get(n), r == null ? null : r.get(n), schema.field(n), at.child(FieldPath.field(n)));
          }
        } else {
          ListType type = schema.listType();
          Map<String, JsonNode> li = ObjectFields.items(l, type);
          Map<String, JsonNode> ri = ObjectFields.items(r, type);
          Set<String> elements = new LinkedHashSet<>(li.keySet());
          elements.addAll(ri.keySet());
          for (String e : elements) {
            compare(li.get(e), ri.get(e), schema.items(), at.child(e));
          }
        }
        return;
      }
      if (l == null && r != null) {
        added.add(at);
      } else if (r == null && l != null) {
        removed.add(at);
      } else if (l != null && !l.equals(r)) {
        modified.add(at);
      }
    }
  }
}
