package dev.skiff.apiserver.registry.cache;

import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.storage.Store;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watch caches of one server, one per resource, each started on the first list or watch of its
 * resource (a resource no one reads costs nothing). Closing ends them all. Thread-safe.
 *
 * @see WatchCache
 */
public final class WatchCaches implements AutoCloseable {
  /** The sizes and timing every cache of a server uses. */
  public record Settings(int windowCapacity, int watcherCapacity, Duration progressInterval) {
    public Settings {
      Objects.requireNonNull(progressInterval, "progressInterval");
      if (windowCapacity < 1 || watcherCapacity < 1) {
        throw new IllegalArgumentException("capacities must be positive");
      }
    }

    /** A window of 1,000 changes, 1,000 queued changes per watcher, progress every {@code interval}. */
    public static Settings defaults(Duration interval) {
      return new Settings(1000, 1000, interval);
    }
  }

  private final Store store;
  private final Settings settings;
  private final Map<ResourceDefinition, WatchCache> caches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public WatchCaches(Store store, Settings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The cache of {@code codec}'s resource, started now if it was not; null once closed. */
  public WatchCache forResource(ObjectCodec codec) {
    if (closed) {
      return null;
    }
    WatchCache cache = caches.computeIfAbsent(codec.definition(), d -> new WatchCache(store, codec,
        settings.windowCapacity(), settings.watcherCapacity(), settings.progressInterval()));
    if (closed) {
      cache.close();
      return null;
    }
    return cache;
  }

  @Override
  public void close() {
    closed = true;
    caches.values().forEach(WatchCache::close);
    caches.clear();
  }
}
