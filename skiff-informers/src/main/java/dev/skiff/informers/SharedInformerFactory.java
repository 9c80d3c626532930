package dev.skiff.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One informer per typed kind for a whole process (upstream's {@code SharedInformerFactory}): the
 * scheduler, the controller manager and the simulated nodes of one {@code skiff server} list and
 * watch each kind once, in all namespaces, and share one cache of it, instead of holding and
 * decoding every pod once per component.
 *
 * <p>Components never add handlers to these informers directly: each takes an {@link InformerScope}
 * per run (a leadership term), whose handlers and indexers are removed again when the scope closes,
 * while the informer and its cache live on for the next term and the other components. An informer
 * is created and started on first use; a handler added later is told of every cached object as an
 * add, as fabric8 replays the store to a late handler. Cached objects carry no managedFields
 * ({@link TrimmedItemStore}).
 *
 * <p>Thread-safe. {@link #close} stops every informer; the creator of the factory owns it.
 */
public final class SharedInformerFactory implements AutoCloseable {
  private final KubernetesClient client;
  /** Guarded by this. */
  private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private boolean closed;

  public SharedInformerFactory(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** A new scope for one run of a component; close it when the run ends. */
  public InformerScope scope() {
    return new InformerScope(this);
  }

  /** The running informer of {@code type}, created and started on first use. */
  @SuppressWarnings("unchecked")
  synchronized <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
    if (closed) {
      throw new IllegalStateException("the informer factory is closed");
    }
    SharedIndexInformer<T> informer = (SharedIndexInformer<T>) informers.get(type);
    // an informer that stopped anyway (an undecodable object) is replaced, so that a component
    // retrying its start gets a working one
    if (informer == null || informer.stopped().toCompletableFuture().isDone()) {
      informer = client.resources(type).inAnyNamespace().runnableInformer(0);
      informer.itemStore(new TrimmedItemStore<>());
      // fabric8 stops an informer whose first list fails (a loaded server timing out), and every
      // component waiting for it then waits for ever; retry with fabric8's back-off instead, except
      // for objects that cannot be decoded, which no retry heals
      informer.exceptionHandler((started, error) -> !ExceptionHandler.isDeserializationException(error));
      // not waited for: scopes wait for the kinds they use, and late handlers get the cache replayed
      informer.start();
      informers.put(type, informer);
    }
    return informer;
  }

  /**
   * The informer already running for the kind of {@code apiVersion} and {@code kind}, if some
   * component asked for it: lets a generic reader (the garbage collector) reuse a typed cache
   * instead of watching the kind again.
   */
  synchronized Optional<SharedIndexInformer<? extends HasMetadata>> existing(String apiVersion, String kind) {
    for (Map.Entry<Class<?>, SharedIndexInformer<?>> e : informers.entrySet()) {
      @SuppressWarnings("unchecked")
      Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) e.getKey();
      if (HasMetadata.getKind(type).equals(kind) && HasMetadata.getApiVersion(type).equals(apiVersion)) {
        @SuppressWarnings("unchecked")
        SharedIndexInformer<? extends HasMetadata> informer = (SharedIndexInformer<? extends HasMetadata>) e.getValue();
        return Optional.of(informer);
      }
    }
    return Optional.empty();
  }

  /** How many kinds are informed now (for logs and tests). */
  public synchronized int size() {
    return informers.size();
  }

  @Override
  public void close() {
    List<SharedIndexInformer<?>> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(informers.values());
      informers.clear();
    }
    all.forEach(SharedIndexInformer::close);
  }
}
