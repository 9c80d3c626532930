package dev.skiff.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one run of a component (a scheduler's or controller manager's leadership term, a simulator)
 * uses of the process's {@link SharedInformerFactory}: the informers it asked for, as views whose
 * handlers and indexers {@link #close} removes again. The shared caches stay, so the next term
 * starts from a warm cache and its handlers are told of every cached object as adds.
 *
 * <p>Thread-safe. Closing is idempotent; a closed scope hands out nothing more.
 */
public final class InformerScope implements AutoCloseable {
  private final SharedInformerFactory factory;
  /** Guarded by this; keyed by the shared informer, so two names for one kind share a view. */
  private final Map<SharedIndexInformer<?>, ScopedInformer<?>> views = new LinkedHashMap<>();
  private boolean closed;

  InformerScope(SharedInformerFactory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** The process's informer of {@code type} (created and started on first use), seen through this scope. */
  public <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
    return view(factory.informer(type));
  }

  /**
   * The informer some component of the process already runs for {@code apiVersion}/{@code kind},
   * seen through this scope; empty if none does (the caller then reads the kind its own way).
   */
  public Optional<SharedIndexInformer<? extends HasMetadata>> existing(String apiVersion, String kind) {
    return factory.existing(apiVersion, kind).map(this::view);
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> SharedIndexInformer<T> view(SharedIndexInformer<T> shared) {
    if (closed) {
      throw new IllegalStateException("the informer scope is closed");
    }
    return (SharedIndexInformer<T>) views.computeIfAbsent(shared, ScopedInformer::new);
  }

  /** True once every informer this scope uses has listed once. */
  public synchronized boolean hasSynced() {
    return views.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /**
   * Waits until every informer this scope uses has listed once.
   *
   * @throws TimeoutException if one has not within {@code timeout}
   * @throws ExecutionException if a first list failed
   */
  public void awaitSynced(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
    List<CompletableFuture<Void>> started;
    synchronized (this) {
      started = views.values().stream().map(v -> v.start().toCompletableFuture()).toList();
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Removes every handler and indexer added through this scope; the shared informers keep running. */
  @Override
  public void close() {
    List<ScopedInformer<?>> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(views.values());
      views.clear();
    }
    all.forEach(ScopedInformer::release);
  }
}
