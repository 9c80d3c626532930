package dev.skiff.storage;

import java.util.List;
import java.util.Objects;

/** What a {@link Watch} delivers, in order. */
public sealed interface WatchResponse {

  /**
   * Changes, in revision order, never repeating or skipping one that the watch covers. A batch
   * may hold several revisions; every event of one revision is in the same batch.
   */
  record Events(List<Event> events) implements WatchResponse {
    public Events {
      events = List.copyOf(events);
      if (events.isEmpty()) {
        throw new IllegalArgumentException("an Events response holds at least one event");
      }
    }

    public long lastRevision() {
      return events.getLast().revision();
    }
  }

  /**
   * The watch has delivered every change up to and including {@code revision}: the reader may
   * treat its view as current at that revision (the API server turns this into a bookmark).
   */
  record Progress(long revision) implements WatchResponse {}

  /**
   * The watch is over; nothing follows. A reader recovers from {@link Reason#COMPACTED} and
   * {@link Reason#OVERFLOW} by listing again and watching from the list's revision + 1.
   *
   * @param reason why it ended
   * @param compactRevision with {@link Reason#COMPACTED}, the store's compact revision; else 0
   * @param message what happened, for a person
   */
  record Ended(Reason reason, long compactRevision, String message) implements WatchResponse {
    public Ended {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  enum Reason {
    /** The start revision is older than the store's compact revision. */
    COMPACTED,
    /** The reader fell more than {@code maxPendingEvents} behind. */
    OVERFLOW,
    /** The reader closed the watch. */
    CLOSED,
    /** The store closed or became unreachable. */
    FAILED
  }
}
