package dev.skiff.informers;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A process-wide informer as one {@link InformerScope} sees it: reads go to the shared cache;
 * handlers and indexers added through it are noted so that {@link #release} (the scope's close)
 * takes them off again. Stopping or closing it releases only this view; the shared informer runs
 * on for the other components. Settings that would change the shared informer for everyone
 * (initial state, item store, exception handler, dropping the namespace index) are refused.
 *
 * @param <T> the informer's kind
 */
final class ScopedInformer<T> implements SharedIndexInformer<T> {
  private final SharedIndexInformer<T> shared;
  /** Guarded by this. */
  private final Set<ResourceEventHandler<? super T>> handlers = new LinkedHashSet<>();
  /** Guarded by this. */
  private final Set<String> indexers = new LinkedHashSet<>();

  ScopedInformer(SharedIndexInformer<T> shared) {
    this.shared = Objects.requireNonNull(shared, "shared");
  }

  /** Takes every handler and indexer this view added off the shared informer. */
  void release() {
    List<ResourceEventHandler<? super T>> h;
    List<String> i;
    synchronized (this) {
      h = new ArrayList<>(handlers);
      i = new ArrayList<>(indexers);
      handlers.clear();
      indexers.clear();
    }
    h.forEach(shared::removeEventHandler);
    i.forEach(shared::removeIndexer);
  }

  @Override
  public synchronized SharedIndexInformer<T> addIndexers(Map<String, Function<T, List<String>>> indexers) {
    shared.addIndexers(indexers);
    this.indexers.addAll(indexers.keySet());
    return this;
  }

  @Override
  public SharedIndexInformer<T> removeNamespaceIndex() {
    throw new UnsupportedOperationException("the namespace index of a shared informer serves every component");
  }

  @Override
  public synchronized SharedIndexInformer<T> removeIndexer(String name) {
    if (indexers.remove(name)) {
      shared.removeIndexer(name);
    }
    return this;
  }

  @Override
  public Indexer<T> getIndexer() {
    return shared.getIndexer();
  }

  @Override
  public synchronized SharedIndexInformer<T> addEventHandler(ResourceEventHandler<? super T> handler) {
    shared.addEventHandler(handler);
    handlers.add(handler);
    return this;
  }

  @Override
  public synchronized SharedIndexInformer<T> removeEventHandler(ResourceEventHandler<? super T> handler) {
    if (handlers.remove(handler)) {
      shared.removeEventHandler(handler);
    }
    return this;
  }

  @Override
  public synchronized SharedIndexInformer<T> addEventHandlerWithResyncPeriod(ResourceEventHandler<? super T> handler,
      long resyncPeriod) {
    shared.addEventHandlerWithResyncPeriod(handler, resyncPeriod);
    handlers.add(handler);
    return this;
  }

  @Override
  public SharedIndexInformer<T> run() {
    start().toCompletableFuture().join();
    return this;
  }

  @Override
  public void stop() {
    release();
  }

  @Override
  public void close() {
    release();
  }

  @Override
  public boolean hasSynced() {
    return shared.hasSynced();
  }

  @Override
  public String lastSyncResourceVersion() {
    return shared.lastSyncResourceVersion();
  }

  @Override
  public boolean isRunning() {
    return shared.isRunning();
  }

  @Override
  public Class<T> getApiTypeClass() {
    return shared.getApiTypeClass();
  }

  @Override
  public boolean isWatching() {
    return shared.isWatching();
  }

  @Override
  public Store<T> getStore() {
    return shared.getStore();
  }

  @Override
  public SharedIndexInformer<T> initialState(Stream<T> items) {
    throw new UnsupportedOperationException("a shared informer is already started");
  }

  @Override
  public SharedIndexInformer<T> itemStore(ItemStore<T> itemStore) {
    throw new UnsupportedOperationException("a shared informer is already started");
  }

  /** Starting is idempotent: the shared informer already runs; this is its first-list future. */
  @Override
  public CompletionStage<Void> start() {
    return shared.start();
  }

  @Override
  public SharedIndexInformer<T> exceptionHandler(ExceptionHandler handler) {
    throw new UnsupportedOperationException("a shared informer is already started");
  }

  @Override
  public CompletionStage<Void> stopped() {
    return shared.stopped();
  }
}
