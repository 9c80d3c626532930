package dev.skiff.apiserver.registry.cache;

import dev.skiff.storage.Bytes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One watcher of a {@link WatchCache}: a bounded queue between the cache's dispatcher, which never
 * waits here, and the watcher's own sender thread. A watcher whose sender falls more than its
 * capacity behind is ended with {@link Ended#overflow()}, as upstream's cacher terminates a
 * blocked watcher, so one slow client never holds up the others or the cache.
 *
 * <p>{@link #poll} is for one reader; {@link #close} may come from any thread.
 */
public final class CacheWatcher implements AutoCloseable {

  /** What a watcher receives, in order. */
  public sealed interface Item {}

  /** A change to an object under the watcher's prefix. */
  public record Change(CachedEvent event) implements Item {}

  /** The cache has seen every change up to {@code revision}: the watcher may send a bookmark. */
  public record Progress(long revision) implements Item {}

  /**
   * The watch is over. With {@code tooOld}, its start lay before the cache's event window
   * ({@code oldestRevision} is the oldest it could serve): a 410 for the client.
   */
  public record Ended(boolean tooOld, long oldestRevision, boolean overflow) implements Item {}

  private final Bytes prefix;
  private final long afterRevision;
  private final int capacity;
  private final boolean wantsProgress;
  private final Consumer<CacheWatcher> leave;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private Ended ended;
  /** Items of the starting history still queued: they do not count against the capacity. */
  private int preloaded;

  CacheWatcher(Bytes prefix, long afterRevision, int capacity, boolean wantsProgress, Consumer<CacheWatcher> leave) {
    this.prefix = prefix;
    this.afterRevision = afterRevision;
    this.capacity = capacity;
    this.wantsProgress = wantsProgress;
    this.leave = leave;
  }

  /** A watcher that is over before it began. */
  static CacheWatcher ended(Ended why) {
    CacheWatcher w = new CacheWatcher(Bytes.EMPTY, 0, 1, false, ignored -> {});
    w.ended = why;
    w.queue.add(why);
    return w;
  }

  /** From the dispatcher: offers a change; never blocks. False when the watcher is over. */
  boolean offer(CachedEvent e) {
    if (e.revision() <= afterRevision || !e.kv().key().startsWith(prefix)) {
      return !isEnded();
    }
    return enqueue(new Change(e), true);
  }

  /** From the dispatcher: the cache reached {@code revision}. False when the watcher is over. */
  boolean offerProgress(long revision) {
    if (!wantsProgress || revision <= afterRevision) {
      return !isEnded();
    }
    return enqueue(new Progress(revision), false);
  }

  /** From the dispatcher: the cache restarted, so this watcher's view is gone. */
  void terminate() {
    end(new Ended(false, 0, true));
  }

  private boolean enqueue(Item item, boolean counts) {
    lock.lock();
    try {
      if (ended != null) {
        return false;
      }
      if (counts && queue.size() >= capacity + preloaded) {
        endLocked(new Ended(false, 0, true));
        return false;
      }
      if (!counts && queue.peekLast() instanceof Progress) {
        queue.pollLast();
      }
      queue.add(item);
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void end(Ended why) {
    lock.lock();
    try {
      if (ended == null) {
        endLocked(why);
      }
    } finally {
      lock.unlock();
    }
  }

  private void endLocked(Ended why) {
    ended = why;
    queue.add(why);
    changed.signal();
  }

  boolean isEnded() {
    lock.lock();
    try {
      return ended != null;
    } finally {
      lock.unlock();
    }
  }

  /** Every item waiting, after waiting up to {@code timeout} for one; empty when none came. */
  public List<Item> poll(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (queue.isEmpty() && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      List<Item> out = new ArrayList<>(queue);
      queue.clear();
      preloaded = 0;
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the watcher and takes it out of its cache; idempotent. */
  @Override
  public void close() {
    end(new Ended(false, 0, false));
    leave.accept(this);
  }

  /** Without an explicit end: queues the history a new watcher starts with (under the cache's lock). */
  void preload(Iterable<CachedEvent> history) {
    lock.lock();
    try {
      for (CachedEvent e : history) {
        if (e.revision() > afterRevision && e.kv().key().startsWith(prefix)) {
          queue.add(new Change(e));
          preloaded++;
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
