package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.StoreException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: group commit. Callers queue requests (a bounded queue, so a flood of
 * writers waits instead of filling the heap); one platform thread takes whatever has queued up,
 * evaluates it as one {@link WriteBatch} in one transaction, commits once (one fsync for the
 * whole batch), then hands the batch's events to the {@link WatchHub} and completes the callers.
 * Publishing before completing means that a caller who watches "from the next write on" right
 * after its write returns never receives its own write.
 *
 * <p>The committer thread alone touches the writer connection and the live-key index.
 */
final class Committer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Committer.class);
  private static final int MAX_BATCH = 1024;

  private final LogWriter writer;
  private final Compactor compactor;
  private final Map<Bytes, KeyMeta> liveKeys;
  private final WatchHub hub;
  private final BlockingQueue<WriteRequest> queue;
  private final Thread thread;
  private volatile long revision;
  private volatile long compactRevision;
  private volatile boolean stopping;
  /** Compactions waiting for the sweep to finish. */
  private final List<CompletableFuture<?>> compactions = new ArrayList<>();

  Committer(LogWriter writer, StoredMeta meta, WatchHub hub, int queueCapacity)
      throws SQLException {
    this.writer = writer;
    this.compactor = new Compactor(writer.connection());
    this.liveKeys = writer.loadLiveKeys();
    writer.connection().commit();
    this.hub = hub;
    this.revision = meta.revision();
    this.compactRevision = meta.compactRevision();
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.thread = Thread.ofPlatform().name("skiff-sqlite-committer").unstarted(this::run);
    thread.start();
  }

  long revision() {
    return revision;
  }

  long compactRevision() {
    return compactRevision;
  }

  /** Queues {@code request} and waits until it is committed (or failed). */
  <T> T submit(WriteRequest request, CompletableFuture<T> result) {
    if (stopping) {
      throw new StoreException("store is closed");
    }
    try {
      queue.put(request);
      while (true) {
        try {
          return result.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          if (!thread.isAlive()) {
            failQueued();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a write to commit", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new StoreException("write failed", e.getCause());
    }
  }

  private void run() {
    List<WriteRequest> taken = new ArrayList<>(MAX_BATCH);
    try {
      while (true) {
        // while a compaction sweeps, do not wait for writes: sweep between batches instead
        WriteRequest first =
            compactor.active() ? queue.poll() : queue.poll(50, TimeUnit.MILLISECONDS);
        if (first != null) {
          taken.add(first);
          queue.drainTo(taken, MAX_BATCH - 1);
          process(taken);
          taken.clear();
        } else if (stopping) {
          finishCompactions(); // a sweep cut short leaves only harmless rows behind
          return;
        }
        if (compactor.active()) {
          sweep();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      log.error("the committer stopped", e);
      for (WriteRequest r : taken) {
        r.result().completeExceptionally(new StoreException("the committer stopped", e));
      }
    }
  }

  private void process(List<WriteRequest> requests) {
    WriteBatch batch = new WriteBatch(writer, liveKeys, revision);
    for (WriteRequest request : requests) {
      if (request instanceof WriteRequest.Compact c) {
        commit(batch);
        batch = new WriteBatch(writer, liveKeys, revision);
        compact(c);
        continue;
      }
      try {
        batch.add(request);
      } catch (SQLException | RuntimeException e) {
        request.result().completeExceptionally(new StoreException("write failed", e));
        rollback(batch, e);
        batch = new WriteBatch(writer, liveKeys, revision);
      }
    }
    commit(batch);
  }

  private void commit(WriteBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (batch.revision() == revision) {
      // only failed conditions: nothing to write, nothing to fsync
      batch.complete();
      return;
    }
    try {
      writer.writeMeta(batch.revision(), compactRevision);
      writer.connection().commit();
    } catch (SQLException | RuntimeException e) {
      rollback(batch, e);
      return;
    }
    batch.committed();
    try {
      hub.publish(batch.events(), batch.revision());
    } catch (RuntimeException e) {
      // the writes are durable whatever a watch did wrong: callers still learn they succeeded
      log.error("publishing revision {} to watches failed", batch.revision(), e);
    }
    // only now: whoever sees this revision and then watches from 0 must not receive it
    revision = batch.revision();
    batch.complete();
  }

  private void rollback(WriteBatch batch, Exception cause) {
    log.error("write transaction failed; rolling back {} requests", cause);
    try {
      writer.connection().rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
    batch.fail(cause);
  }

  private void compact(WriteRequest.Compact c) {
    long target = c.revision();
    if (target > revision) {
      c.result().completeExceptionally(new FutureRevisionException(target, revision));
      return;
    }
    if (target <= compactRevision) {
      c.result().complete(null);
      return;
    }
    try {
      // the compact revision is durable before any row goes, so reads below it fail from now on
      writer.writeMeta(revision, target);
      writer.connection().commit();
    } catch (SQLException e) {
      c.result().completeExceptionally(new StoreException("compaction failed", e));
      return;
    }
    compactRevision = target;
    compactor.start(target);
    compactions.add(c.result());
  }

  private void sweep() {
    try {
      compactor.step();
    } catch (SQLException e) {
      log.warn("compaction sweep failed; rows stay until the next compaction", e);
      compactor.start(0);
    }
    if (!compactor.active()) {
      finishCompactions();
    }
  }

  private void finishCompactions() {
    compactions.forEach(f -> f.complete(null));
    compactions.clear();
  }

  private void failQueued() {
    List<WriteRequest> left = new ArrayList<>();
    queue.drainTo(left);
    for (WriteRequest r : left) {
      r.result().completeExceptionally(new StoreException("store is closed"));
    }
  }

  /** Commits what is already queued, then stops the thread; later writes fail. */
  @Override
  public void close() {
    stopping = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
    try {
      writer.close();
    } catch (SQLException e) {
      log.warn("closing the writer connection failed", e);
    }
  }
}
