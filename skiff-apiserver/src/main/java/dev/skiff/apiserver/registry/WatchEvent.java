package dev.skiff.apiserver.registry;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event of a watch stream, as upstream's {@code metav1.WatchEvent}.
 *
 * @param type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
 * @param object the object (a Status for ERROR, a bare kind with only a resourceVersion for BOOKMARK)
 */
public record WatchEvent(String type, ObjectNode object) {
  public WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
  }

  public boolean isBookmark() {
    return type.equals("BOOKMARK");
  }
}
