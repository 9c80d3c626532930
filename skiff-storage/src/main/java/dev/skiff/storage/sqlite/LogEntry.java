package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the {@code log} table: the write of one revision.
 *
 * @param revision the write's revision
 * @param key the key written
 * @param value the value; empty for a delete
 * @param createRevision the create revision of the key's generation
 * @param version the key's version after the write; 0 for a delete
 * @param deleted whether the write deleted the key
 * @param prevRevision the mod revision of the key's previous version; 0 when the write created it
 */
record LogEntry(
    long revision,
    Bytes key,
    Bytes value,
    long createRevision,
    long version,
    boolean deleted,
    long prevRevision) {

  LogEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /** The key as this write left it; for a delete, etcd's tombstone form (empty, version 0). */
  KeyValue keyValue() {
    if (deleted) {
      return new KeyValue(key, Bytes.EMPTY, 0, revision, 0);
    }
    return new KeyValue(key, value, createRevision, revision, version);
  }

  Event event(Optional<KeyValue> prev) {
    return new Event(deleted ? Event.Type.DELETE : Event.Type.PUT, keyValue(), prev);
  }
}
