package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.WriteResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The writes of one transaction of the committer. Each request's condition is evaluated in
 * queue order against the keys as the earlier requests of this batch left them, so a batch
 * behaves exactly as the same writes one by one; each successful write takes the next revision.
 *
 * <p>Nothing is visible outside until {@link #committed}: the live-key index changes only after
 * the transaction committed, and the callers learn their results only then.
 */
final class WriteBatch {
  private final LogWriter writer;
  private final Map<Bytes, KeyMeta> liveKeys;
  /** Keys this batch wrote: the key as written, or null once deleted. */
  private final Map<Bytes, KeyValue> written = new HashMap<>();

  private final List<CompletableFuture<WriteResult>> callers = new ArrayList<>();
  private final List<WriteResult> results = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private long revision;

  WriteBatch(LogWriter writer, Map<Bytes, KeyMeta> liveKeys, long revision) {
    this.writer = writer;
    this.liveKeys = liveKeys;
    this.revision = revision;
  }

  boolean isEmpty() {
    return callers.isEmpty();
  }

  /** The store's revision after the writes so far. */
  long revision() {
    return revision;
  }

  List<Event> events() {
    return events;
  }

  void add(WriteRequest request) throws SQLException {
    switch (request) {
      case WriteRequest.Create c -> add(c.result(), create(c));
      case WriteRequest.Update u -> add(u.result(), update(u));
      case WriteRequest.Delete d -> add(d.result(), delete(d));
      case WriteRequest.Compact c -> throw new IllegalArgumentException("compaction is no write");
    }
  }

  private void add(CompletableFuture<WriteResult> caller, WriteResult result) {
    callers.add(caller);
    results.add(result);
  }

  private WriteResult create(WriteRequest.Create c) throws SQLException {
    if (exists(c.key())) {
      return new WriteResult.AlreadyExists(revision, current(c.key()));
    }
    long rev = revision + 1;
    return write(new LogEntry(rev, c.key(), c.value(), rev, 1, false, 0), Optional.empty());
  }

  private WriteResult update(WriteRequest.Update u) throws SQLException {
    return ifAt(
        u.key(),
        u.expected(),
        prev ->
            new LogEntry(
                revision + 1,
                u.key(),
                u.value(),
                prev.createRevision(),
                prev.version() + 1,
                false,
                prev.modRevision()));
  }

  private WriteResult delete(WriteRequest.Delete d) throws SQLException {
    return ifAt(
        d.key(),
        d.expected(),
        prev ->
            new LogEntry(
                revision + 1,
                d.key(),
                Bytes.EMPTY,
                prev.createRevision(),
                0,
                true,
                prev.modRevision()));
  }

  /** Writes {@code next(prev)} if the key exists at mod revision {@code expected}. */
  private WriteResult ifAt(Bytes key, long expected, Function<KeyValue, LogEntry> next)
      throws SQLException {
    if (!exists(key)) {
      return new WriteResult.NotFound(revision);
    }
    KeyValue prev = current(key);
    if (prev.modRevision() != expected) {
      return new WriteResult.RevisionMismatch(revision, prev);
    }
    return write(next.apply(prev), Optional.of(prev));
  }

  private WriteResult write(LogEntry entry, Optional<KeyValue> prev) throws SQLException {
    writer.append(entry);
    revision = entry.revision();
    KeyValue kv = entry.keyValue();
    written.put(entry.key(), entry.deleted() ? null : kv);
    events.add(entry.event(prev));
    return new WriteResult.Written(revision, kv, prev);
  }

  private boolean exists(Bytes key) {
    return written.containsKey(key) ? written.get(key) != null : liveKeys.containsKey(key);
  }

  /** The key's latest version; only called when {@link #exists} holds. */
  private KeyValue current(Bytes key) throws SQLException {
    KeyValue inBatch = written.get(key);
    if (inBatch != null) {
      return inBatch;
    }
    return writer.entry(liveKeys.get(key).modRevision()).keyValue();
  }

  /** After the commit: brings the live-key index up to date. */
  void committed() {
    for (Map.Entry<Bytes, KeyValue> e : written.entrySet()) {
      KeyValue kv = e.getValue();
      if (kv == null) {
        liveKeys.remove(e.getKey());
      } else {
        liveKeys.put(e.getKey(), new KeyMeta(kv.createRevision(), kv.modRevision(), kv.version()));
      }
    }
  }

  /** Hands every caller its result. */
  void complete() {
    for (int i = 0; i < callers.size(); i++) {
      callers.get(i).complete(results.get(i));
    }
  }

  /** After a rollback: every caller fails and nothing of the batch remains. */
  void fail(Exception cause) {
    StoreException failure = new StoreException("write failed: " + cause.getMessage(), cause);
    for (CompletableFuture<WriteResult> caller : callers) {
      caller.completeExceptionally(failure);
    }
  }
}
