package dev.skiff.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * One change seen by a {@link Watch}, as etcd's {@code mvccpb.Event}.
 *
 * @param type what happened
 * @param kv after a put, the key as written; after a delete, the key with an empty value,
 *     version 0 and {@code modRevision} equal to the delete's revision
 * @param prev the key's previous version, when the watch asked for it and one existed
 *     (always empty for a put that created the key)
 */
public record Event(Type type, KeyValue kv, Optional<KeyValue> prev) {
  public enum Type {
    PUT,
    DELETE
  }

  public Event {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kv, "kv");
    Objects.requireNonNull(prev, "prev");
  }

  public long revision() {
    return kv.modRevision();
  }

  /** A put that created the key (rather than changing it). */
  public boolean isCreate() {
    return type == Type.PUT && kv.createRevision() == kv.modRevision();
  }
}
