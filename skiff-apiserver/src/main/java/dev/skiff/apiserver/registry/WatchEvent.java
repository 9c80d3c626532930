package dev.skiff.apiserver.registry;

import java.util.Objects;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event of a watch stream, as upstream's {@code metav1.WatchEvent}.
 *
 * @param type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
 * @param object the object (a Status for ERROR, a bare kind with only a resourceVersion for BOOKMARK);
 *     shared with other watches when {@code jsonFrame} is set, so it must not be modified
 * @param jsonFrame the event already encoded as a JSON frame {@code {"type":..,"object":..}},
 *     shared by every watch that sends it (encoded once per event); null when not encoded yet
 */
public record WatchEvent(String type, ObjectNode object, Supplier<byte[]> jsonFrame) {
  public WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
  }

  public WatchEvent(String type, ObjectNode object) {
    this(type, object, null);
  }

  public boolean isBookmark() {
    return type.equals("BOOKMARK");
  }
}
