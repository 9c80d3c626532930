package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.WriteResult;
import java.util.concurrent.CompletableFuture;

/** A request queued for the {@link Committer}; the caller waits on {@link #result()}. */
sealed interface WriteRequest {

  CompletableFuture<?> result();

  /** Writes the key if it does not exist. */
  record Create(Bytes key, Bytes value, CompletableFuture<WriteResult> result)
      implements WriteRequest {}

  /** Replaces the key's value if its mod revision is {@code expected}. */
  record Update(Bytes key, Bytes value, long expected, CompletableFuture<WriteResult> result)
      implements WriteRequest {}

  /** Deletes the key if its mod revision is {@code expected}. */
  record Delete(Bytes key, long expected, CompletableFuture<WriteResult> result)
      implements WriteRequest {}

  /** Compacts at {@code revision}; runs between write batches, never inside one. */
  record Compact(long revision, CompletableFuture<Void> result) implements WriteRequest {}
}
