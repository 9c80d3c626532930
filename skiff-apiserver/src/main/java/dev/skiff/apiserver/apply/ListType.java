package dev.skiff.apiserver.apply;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** How apply merges and owns a list, as upstream's {@code x-kubernetes-list-type}. */
public sealed interface ListType {
  /** Replaced and owned as a whole (the default for lists without a type). */
  record Atomic() implements ListType {}

  /** A set of scalars: items merge by value and are owned one by one ({@code v:}). */
  record Set() implements ListType {}

  /**
   * Items are identified by the values of {@code keys} ({@code k:}), merged and owned one by one.
   *
   * @param keys the key fields; an item's key is made of those it has
   * @param defaults values for key fields an item leaves out, as the schema's defaults
   */
  record Map(List<String> keys, java.util.Map<String, JsonNode> defaults) implements ListType {
    public Map {
      keys = List.copyOf(keys);
      defaults = java.util.Map.copyOf(defaults);
    }
  }

  ListType ATOMIC = new Atomic();
  ListType SET = new Set();
}
