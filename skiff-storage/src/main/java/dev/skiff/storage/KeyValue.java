package dev.skiff.storage;

import java.util.Objects;

/**
 * One version of one key, as etcd's {@code mvccpb.KeyValue}.
 *
 * @param key the key
 * @param value the value; for the {@code kv} of a delete event, empty
 * @param createRevision the revision of the write that created this generation of the key
 * @param modRevision the revision of the write that produced this version
 * @param version how many times the key was written since it was created (1 after a create);
 *     0 for the {@code kv} of a delete event
 */
public record KeyValue(Bytes key, Bytes value, long createRevision, long modRevision, long version) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
