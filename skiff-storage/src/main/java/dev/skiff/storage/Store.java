package dev.skiff.storage;

import java.util.Optional;

/**
 * A key-value store with the semantics of etcd's v3 API, behind which the API server keeps all
 * cluster state.
 *
 * <ul>
 *   <li>One global revision, starting at 1 for an empty store, that grows by one with every
 *       successful write; a failed condition writes nothing and leaves it unchanged.
 *   <li>Every version of every key is kept until {@link #compact compaction}; reads may ask for
 *       a past revision and watches may start from one.
 *   <li>Writes are conditional: create if absent, update or delete if the key's mod revision is
 *       the expected one. A failed condition is a {@link WriteResult} case, not an exception.
 *   <li>A write is acknowledged (the call returns) only once it is durable.
 * </ul>
 *
 * <p>Values may be empty and at most {@link #MAX_VALUE_BYTES} long; keys must not be empty.
 * Errors that are not outcomes are {@link StoreException}s: {@link CompactedException},
 * {@link FutureRevisionException}, {@link ValueTooLargeException}, or the base type when the
 * store is closed or unreachable.
 *
 * <p>Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

  /** etcd's default request limit (1.5 MiB); larger values fail with ValueTooLargeException. */
  int MAX_VALUE_BYTES = 1536 * 1024;

  /**
   * Reads a key or a range of keys.
   *
   * @throws CompactedException if {@code request.revision()} is below the compact revision
   * @throws FutureRevisionException if {@code request.revision()} is above the current revision
   */
  RangeResult range(RangeRequest request);

  /** The key's current version, if it exists. */
  default Optional<KeyValue> get(Bytes key) {
    return range(RangeRequest.single(key)).kvs().stream().findFirst();
  }

  /** Writes {@code value} under {@code key} if the key does not exist. */
  WriteResult create(Bytes key, Bytes value);

  /** Replaces the value of {@code key} if its mod revision is {@code expectedModRevision}. */
  WriteResult update(Bytes key, Bytes value, long expectedModRevision);

  /** Deletes {@code key} if its mod revision is {@code expectedModRevision}. */
  WriteResult delete(Bytes key, long expectedModRevision);

  /**
   * Starts a watch. A start revision below the compact revision yields a watch whose first
   * response is {@link WatchResponse.Ended} with {@link WatchResponse.Reason#COMPACTED}.
   */
  Watch watch(WatchRequest request);

  /** The current revision: that of the last successful write (1 for an empty store). */
  long currentRevision();

  /**
   * Discards every version older than {@code revision} that a read at {@code revision} would not
   * see. Afterwards reads below {@code revision} and watches starting below it fail as compacted.
   * Compacting at or below the current compact revision does nothing.
   *
   * @throws FutureRevisionException if {@code revision} is above the current revision
   */
  void compact(long revision);

  /**
   * Checks the arguments of a write before anything is written; for implementations to call
   * first in {@link #create} and {@link #update}.
   *
   * @throws IllegalArgumentException if the key is empty
   * @throws ValueTooLargeException if the value is over {@link #MAX_VALUE_BYTES}
   */
  static void checkWrite(Bytes key, Bytes value) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (value.size() > MAX_VALUE_BYTES) {
      throw new ValueTooLargeException(value.size());
    }
  }

  /** Ends every watch with {@link WatchResponse.Reason#FAILED} and releases resources. */
  @Override
  void close();
}
