package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One informer per typed kind, shared by every controller of a manager (upstream's
 * {@code SharedInformerFactory}): each kind is listed and watched once, in all namespaces, with a
 * namespace index. Controllers register their handlers before {@link #start}; {@link #close} stops
 * every informer.
 */
public final class SharedInformers implements AutoCloseable {
  public static final String BY_NAMESPACE = Cache.NAMESPACE_INDEX;

  private final KubernetesClient client;
  private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();

  public SharedInformers(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The informer of {@code type}, created (not started) on first use. */
  @SuppressWarnings("unchecked")
  public synchronized <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
    return (SharedIndexInformer<T>) informers.computeIfAbsent(type, t -> {
      // fabric8 informers carry the namespace index already
      return client.resources(type).inAnyNamespace().runnableInformer(0);
    });
  }

  /** Starts every informer and waits until each has listed once. */
  public synchronized void start(Duration timeout) throws Exception {
    List<CompletableFuture<Void>> started = informers.values().stream()
        .map(i -> i.start().toCompletableFuture()).toList();
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }
}
