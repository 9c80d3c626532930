package dev.skiff.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a conditional write. A failed condition is an expected outcome, so it is a
 * value, not an exception; callers switch over the cases.
 */
public sealed interface WriteResult {

  /** The revision of the store after the write, or when the condition failed. */
  long revision();

  /**
   * The write happened.
   *
   * @param revision the new revision that the write created
   * @param kv the key as written (for a delete: the key with an empty value, version 0, and
   *     {@code modRevision} equal to the delete's revision)
   * @param prev the key's previous version; empty after a create
   */
  record Written(long revision, KeyValue kv, Optional<KeyValue> prev) implements WriteResult {
    public Written {
      Objects.requireNonNull(kv, "kv");
      Objects.requireNonNull(prev, "prev");
    }
  }

  /** A create found the key already there; nothing was written. */
  record AlreadyExists(long revision, KeyValue current) implements WriteResult {
    public AlreadyExists {
      Objects.requireNonNull(current, "current");
    }
  }

  /** An update or delete found no such key; nothing was written. */
  record NotFound(long revision) implements WriteResult {}

  /**
   * An update or delete found the key at another mod revision than the expected one; nothing was
   * written. {@code current} is the key as it is now, so the caller can retry without a read.
   */
  record RevisionMismatch(long revision, KeyValue current) implements WriteResult {
    public RevisionMismatch {
      Objects.requireNonNull(current, "current");
    }
  }
}
