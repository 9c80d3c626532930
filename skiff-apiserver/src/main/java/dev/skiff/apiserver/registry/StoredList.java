package dev.skiff.apiserver.registry;

import dev.skiff.storage.KeyValue;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One page of a list as stored key-values, before any tree is built for output.
 *
 * @param items the matching objects' key-values, in key order
 * @param decoded per item, the tree already decoded to match selectors, or null (same size as
 *     {@code items}; the trees are shared with the caller, which owns them)
 * @param revision the revision the list was read at: its resourceVersion
 * @param continueToken the token for the next page, or "" when this is the last
 * @param remainingItemCount how many objects follow, when known without selectors; else null
 */
public record StoredList(List<KeyValue> items, List<ObjectNode> decoded, long revision, String continueToken,
    Long remainingItemCount) {
  public StoredList {
    items = List.copyOf(items);
    // nulls are allowed here, so not List.copyOf
    decoded = Collections.unmodifiableList(decoded);
    Objects.requireNonNull(continueToken, "continueToken");
    if (decoded.size() != items.size()) {
      throw new IllegalArgumentException("decoded and items differ in size");
    }
  }
}
