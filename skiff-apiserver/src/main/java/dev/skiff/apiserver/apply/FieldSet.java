package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.json.Json;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths: what one manager owns, or what one write added, changed or removed. Set
 * algebra is on exact paths, as upstream's {@code fieldpath.Set}; a member path may also have
 * members below it (a list item and its fields). Immutable.
 */
public final class FieldSet {
  public static final FieldSet EMPTY = new FieldSet(new TreeSet<>());

  private final SortedSet<FieldPath> paths;

  private FieldSet(SortedSet<FieldPath> paths) {
    this.paths = paths;
  }

  public static FieldSet of(Collection<FieldPath> paths) {
    return new FieldSet(new TreeSet<>(paths));
  }

  public SortedSet<FieldPath> paths() {
    return java.util.Collections.unmodifiableSortedSet(paths);
  }

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  public boolean contains(FieldPath p) {
    return paths.contains(p);
  }

  public FieldSet union(FieldSet other) {
    TreeSet<FieldPath> out = new TreeSet<>(paths);
    out.addAll(other.paths);
    return new FieldSet(out);
  }

  public FieldSet difference(FieldSet other) {
    return filter(p -> !other.paths.contains(p));
  }

  public FieldSet intersection(FieldSet other) {
    return filter(other.paths::contains);
  }

  /** This set without the paths at or below any of {@code prefixes}. */
  public FieldSet withoutPrefixes(Collection<FieldPath> prefixes) {
    return filter(p -> prefixes.stream().noneMatch(pre -> pre.isPrefixOf(p)));
  }

  /** Whether some member lies strictly below {@code p}. */
  public boolean hasMemberBelow(FieldPath p) {
    for (FieldPath q : paths.tailSet(p)) {
      if (!p.isPrefixOf(q)) {
        return false;
      }
      if (!q.equals(p)) {
        return true;
      }
    }
    return false;
  }

  private FieldSet filter(Predicate<FieldPath> keep) {
    TreeSet<FieldPath> out = new TreeSet<>();
    for (FieldPath p : paths) {
      if (keep.test(p)) {
        out.add(p);
      }
    }
    return new FieldSet(out);
  }

  /**
   * The FieldsV1 tree: each element a key, a member leaf {@code {}}, a member with members below
   * it marked with {@code ".": {}}.
   */
  public ObjectNode toFieldsV1() {
    Node root = new Node();
    for (FieldPath p : paths) {
      Node n = root;
      for (String e : p.elements()) {
        n = n.children.computeIfAbsent(e, k -> new Node());
      }
      n.member = true;
    }
    return root.encode();
  }

  /** Reads a FieldsV1 tree; {@code null} or a non-object gives the empty set. */
  public static FieldSet fromFieldsV1(JsonNode tree) {
    TreeSet<FieldPath> out = new TreeSet<>();
    if (tree != null && tree.isObject()) {
      decode(tree, FieldPath.ROOT, out);
    }
    return new FieldSet(out);
  }

  private static void decode(JsonNode node, FieldPath at, TreeSet<FieldPath> out) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().equals(".")) {
        out.add(at);
        continue;
      }
      FieldPath child = at.child(e.getKey());
      if (!e.getValue().isObject() || e.getValue().isEmpty()) {
        out.add(child);
      } else {
        decode(e.getValue(), child, out);
      }
    }
  }

  /** A node of a FieldsV1 tree being built: children in path order, {@code "."} when a member has children. */
  static final class Node {
    boolean member;
    final Map<String, Node> children = new TreeMap<>();

    ObjectNode encode() {
      ObjectNode o = Json.object();
      if (member && !children.isEmpty()) {
        o.putObject(".");
      }
      children.forEach((k, v) -> o.set(k, v.encode()));
      return o;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet s && s.paths.equals(paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    return paths.toString();
  }
}
