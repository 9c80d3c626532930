package dev.skiff.apiserver.registry.cache;

import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch cache of one resource, as upstream's cacher: the current objects (as stored bytes,
 * decoded only when read) and a bounded window of the latest changes, fed by one storage watch on
 * the resource's prefix. Lists and watches are served from it instead of from the store.
 *
 * <p>{@link #revision()} is the store revision up to which the cache has applied every change;
 * the storage watch's progress notifications move it on when other resources are written, and
 * {@link #awaitRevision} asks for one, so a consistent read waits for the cache to catch up with
 * the store (upstream 1.32's consistent reads from cache) instead of reading the store.
 *
 * <p>The window holds every change after {@link #oldestRevision()}; a watch starting earlier gets
 * 410 Expired, unless the cache never dropped an event (it was merely started later than the
 * watch's start): then the caller watches the store instead. When the storage watch ends (overflow,
 * compaction, store trouble), the cache lists again and ends every watcher, which clients then
 * restart, as upstream's cacher does.
 *
 * <p>Thread-safe. One virtual thread feeds the cache; changes are dispatched to watchers under the
 * cache's lock but never wait for them (see {@link CacheWatcher}). Lock order: cache, then watcher.
 */
public final class WatchCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);

  /** The objects under a prefix at one revision. */
  public record Snapshot(List<KeyValue> items, long revision) {}

  /** A new watcher and, when it asked for the current state, the state it starts from. */
  public record Registration(CacheWatcher watcher, Snapshot initial) {}

  private final Store store;
  private final ObjectCodec codec;
  private final Bytes prefix;
  private final int windowCapacity;
  private final int watcherCapacity;
  private final Duration progressInterval;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private final TreeMap<Bytes, KeyValue> objects = new TreeMap<>();
  private final ArrayDeque<CachedEvent> window = new ArrayDeque<>();
  /** How many of the newest events keep their decoded trees (see {@link CachedEvent#releaseTrees}). */
  private static final int EVENTS_WITH_TREES = 256;
  /** The newest events of the window, whose trees are kept; older ones are released. */
  private final ArrayDeque<CachedEvent> withTrees = new ArrayDeque<>();
  private final Set<CacheWatcher> watchers = ConcurrentHashMap.newKeySet();
  private long revision;
  private long oldestRevision;
  private boolean dropped;
  private Watch storeWatch;
  private final Thread feeder;
  private volatile boolean closed;

  /**
   * Lists the resource and starts following it.
   *
   * @param windowCapacity how many recent changes the window keeps
   * @param watcherCapacity how far a watcher's sender may fall behind before it is ended
   * @param progressInterval how often the storage watch reports progress when idle
   */
  public WatchCache(Store store, ObjectCodec codec, int windowCapacity, int watcherCapacity,
      Duration progressInterval) {
    this.store = store;
    this.codec = codec;
    this.prefix = codec.prefix("");
    this.windowCapacity = windowCapacity;
    this.watcherCapacity = watcherCapacity;
    this.progressInterval = progressInterval;
    lock.lock();
    try {
      load();
    } finally {
      lock.unlock();
    }
    feeder = Thread.ofVirtual().name("watch-cache-" + codec.definition().plural()).start(this::feed);
  }

  /** Reads every object from the store and starts the storage watch after that read. Under the lock. */
  private void load() {
    RangeResult all = store.range(new RangeRequest(prefix, prefix.prefixEnd(), 0, 0, false));
    objects.clear();
    for (KeyValue kv : all.kvs()) {
      objects.put(kv.key(), kv);
    }
    window.clear();
    withTrees.clear();
    revision = all.revision();
    oldestRevision = all.revision();
    storeWatch = store.watch(new WatchRequest(prefix, prefix.prefixEnd(), all.revision() + 1, true,
        progressInterval, WatchRequest.DEFAULT_MAX_PENDING_EVENTS));
  }

  private void feed() {
    while (!closed) {
      WatchResponse r;
      try {
        r = storeWatch.poll(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        return;
      }
      switch (r) {
        case null -> {}
        case WatchResponse.Events events -> apply(events.events());
        case WatchResponse.Progress p -> progress(p.revision());
        case WatchResponse.Ended ended -> {
          if (closed) {
            return;
          }
          LOG.info("watch cache of {} restarts: {} {}", codec.definition().plural(), ended.reason(), ended.message());
          restart();
        }
      }
    }
  }

  private void apply(List<Event> events) {
    lock.lock();
    try {
      for (Event e : events) {
        CachedEvent ce = new CachedEvent(codec, e);
        if (e.type() == Event.Type.DELETE) {
          objects.remove(e.kv().key());
        } else {
          objects.put(e.kv().key(), e.kv());
        }
        window.addLast(ce);
        withTrees.addLast(ce);
        if (withTrees.size() > EVENTS_WITH_TREES) {
          withTrees.removeFirst().releaseTrees();
        }
        if (window.size() > windowCapacity) {
          oldestRevision = window.removeFirst().revision();
          dropped = true;
        }
        revision = Math.max(revision, e.revision());
        for (CacheWatcher w : watchers) {
          if (!w.offer(ce)) {
            watchers.remove(w);
          }
        }
      }
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void progress(long rev) {
    lock.lock();
    try {
      revision = Math.max(revision, rev);
      // wake waiters even without progress: they ask again (see awaitRevision)
      advanced.signalAll();
      for (CacheWatcher w : watchers) {
        if (!w.offerProgress(revision)) {
          watchers.remove(w);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void restart() {
    lock.lock();
    try {
      storeWatch.close();
      watchers.forEach(CacheWatcher::terminate);
      watchers.clear();
      while (!closed) {
        try {
          load();
          dropped = true;
          advanced.signalAll();
          return;
        } catch (RuntimeException e) {
          LOG.warn("watch cache of {} cannot list: {}", codec.definition().plural(), e.toString());
          try {
            advanced.await(1, TimeUnit.SECONDS);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The revision up to which every change has been applied. */
  public long revision() {
    lock.lock();
    try {
      return revision;
    } finally {
      lock.unlock();
    }
  }

  /** The window holds every change after this revision. */
  public long oldestRevision() {
    lock.lock();
    try {
      return oldestRevision;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the cache has applied every change up to {@code wanted}, asking the storage
   * watch for progress meanwhile; false when it did not within {@code timeout}.
   */
  public boolean awaitRevision(long wanted, Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (revision < wanted && !closed) {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
          return false;
        }
        // Each request is answered with the revision the storage watch has seen, which may still be
        // short of a write that committed just now: ask again after every answer until caught up.
        storeWatch.requestProgress();
        advanced.awaitNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      return revision >= wanted;
    } finally {
      lock.unlock();
    }
  }

  /** The object at {@code key} at {@link #revision()}, if there is one. */
  public Optional<KeyValue> get(Bytes key) {
    lock.lock();
    try {
      return Optional.ofNullable(objects.get(key));
    } finally {
      lock.unlock();
    }
  }

  /** The objects whose keys start with {@code keyPrefix}, in key order, at {@link #revision()}. */
  public Snapshot snapshot(Bytes keyPrefix) {
    return snapshot(keyPrefix, keyPrefix);
  }

  /**
   * As {@link #snapshot(Bytes)}, from key {@code from} on (a later page of a list); {@code from}
   * must start with {@code keyPrefix}.
   */
  public Snapshot snapshot(Bytes keyPrefix, Bytes from) {
    lock.lock();
    try {
      return new Snapshot(List.copyOf(objects.subMap(from, keyPrefix.prefixEnd()).values()), revision);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers a watcher of the keys under {@code keyPrefix}.
   *
   * @param afterRevision deliver changes after this revision; negative: start from the current
   *     state, returned in the registration, and deliver the changes after it
   * @param wantsProgress whether the watcher receives {@link CacheWatcher.Progress} items
   * @return null when the cache cannot serve the start (it began after it and never dropped a change)
   */
  public Registration watch(Bytes keyPrefix, long afterRevision, boolean wantsProgress) {
    lock.lock();
    try {
      if (afterRevision < 0) {
        Snapshot now = new Snapshot(List.copyOf(objects.subMap(keyPrefix, keyPrefix.prefixEnd()).values()), revision);
        CacheWatcher w = new CacheWatcher(keyPrefix, revision, watcherCapacity, wantsProgress, watchers::remove);
        watchers.add(w);
        return new Registration(w, now);
      }
      if (afterRevision < oldestRevision) {
        if (!dropped) {
          return null;
        }
        return new Registration(CacheWatcher.ended(new CacheWatcher.Ended(true, oldestRevision, false)), null);
      }
      CacheWatcher w = new CacheWatcher(keyPrefix, afterRevision, watcherCapacity, wantsProgress, watchers::remove);
      w.preload(window);
      watchers.add(w);
      return new Registration(w, null);
    } finally {
      lock.unlock();
    }
  }

  /** How many watchers are registered (for tests and metrics). */
  public int watcherCount() {
    return watchers.size();
  }

  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      storeWatch.close();
      watchers.forEach(CacheWatcher::terminate);
      watchers.clear();
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
    feeder.interrupt();
  }
}
