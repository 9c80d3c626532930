package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldSelector;
import dev.skiff.apiserver.api.LabelSelector;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of a list or watch, as upstream's {@code metav1.ListOptions}.
 *
 * @param labelSelector which labels objects must have
 * @param fieldSelector which fields objects must have
 * @param limit the most items per page; 0 for all
 * @param continueToken the token of the previous page, or ""
 * @param resourceVersion "", "0" or a revision
 * @param resourceVersionMatch "", "Exact" or "NotOlderThan"
 * @param allowWatchBookmarks whether a watch may send BOOKMARK events
 * @param sendInitialEvents whether a watch starts with the current state and a bookmark marking
 *     its end (null: not set, upstream's legacy behaviour)
 * @param timeout how long a watch lasts
 */
public record ListOptions(
    LabelSelector labelSelector,
    FieldSelector fieldSelector,
    int limit,
    String continueToken,
    String resourceVersion,
    String resourceVersionMatch,
    boolean allowWatchBookmarks,
    Boolean sendInitialEvents,
    Duration timeout) {
  public ListOptions {
    Objects.requireNonNull(labelSelector, "labelSelector");
    Objects.requireNonNull(fieldSelector, "fieldSelector");
    Objects.requireNonNull(continueToken, "continueToken");
    Objects.requireNonNull(resourceVersion, "resourceVersion");
    Objects.requireNonNull(resourceVersionMatch, "resourceVersionMatch");
    Objects.requireNonNull(timeout, "timeout");
  }

  public static ListOptions everything() {
    return new ListOptions(LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, 0, "", "", "", false, null,
        Duration.ofMinutes(30));
  }
}
