package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.registry.cache.WatchCache;
import dev.skiff.apiserver.registry.cache.WatchCaches;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.Store;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How admission on the create path reads objects of other resources (a pod's ServiceAccount and
 * PriorityClass): from the resource's watch cache when the server has caches, else from the store, as
 * upstream's admission plugins read informer-fed listers instead of etcd. A {@link #get} the cache does
 * not answer falls back to the store, so an object created a moment ago is still found; a
 * {@link #list} may trail the store by a moment, as a lister does. Thread-safe.
 */
public final class ObjectLookup {
  private final Store store;
  private final WatchCaches caches;

  /** @param caches the server's watch caches; null reads everything from the store */
  public ObjectLookup(Store store, WatchCaches caches) {
    this.store = Objects.requireNonNull(store, "store");
    this.caches = caches;
  }

  /** Reads the store alone. */
  public static ObjectLookup of(Store store) {
    return new ObjectLookup(store, null);
  }

  /** The object at {@code key} of {@code codec}'s resource. */
  public Optional<KeyValue> get(ObjectCodec codec, Bytes key) {
    WatchCache cache = caches == null ? null : caches.forResource(codec);
    Optional<KeyValue> cached = cache == null ? Optional.empty() : cache.get(key);
    return cached.isPresent() ? cached : store.get(key);
  }

  /** The objects of {@code codec}'s resource under {@code prefix}, in key order. */
  public List<KeyValue> list(ObjectCodec codec, Bytes prefix) {
    WatchCache cache = caches == null ? null : caches.forResource(codec);
    return cache != null ? cache.snapshot(prefix).items() : store.range(RangeRequest.prefix(prefix)).kvs();
  }
}
