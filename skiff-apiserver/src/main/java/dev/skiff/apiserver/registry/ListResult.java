package dev.skiff.apiserver.registry;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One page of a list.
 *
 * @param items the objects, in key order
 * @param revision the revision the list was read at: its resourceVersion
 * @param continueToken the token for the next page, or "" when this is the last
 * @param remainingItemCount how many objects follow, when known without selectors; else null
 */
public record ListResult(List<ObjectNode> items, long revision, String continueToken, Long remainingItemCount) {
  public ListResult {
    items = List.copyOf(items);
  }
}
