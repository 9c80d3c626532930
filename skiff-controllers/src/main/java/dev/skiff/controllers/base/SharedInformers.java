package dev.skiff.controllers.base;

import dev.skiff.informers.InformerScope;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The informers the controllers of one controller-manager term share: the process's informers
 * ({@link dev.skiff.informers.SharedInformerFactory}, also read by the scheduler and the simulated
 * nodes) seen through this term's {@link InformerScope}. Each kind is listed and watched once per
 * process, in all namespaces, with a namespace index. Controllers register their handlers and
 * indexers on the informers handed out here; {@link #close} removes them again, while the caches
 * stay for the next term.
 */
public final class SharedInformers implements AutoCloseable {
  public static final String BY_NAMESPACE = Cache.NAMESPACE_INDEX;

  private final InformerScope scope;

  public SharedInformers(InformerScope scope) {
    this.scope = Objects.requireNonNull(scope, "scope");
  }

  /** The informer of {@code type}. */
  public <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
    return scope.informer(type);
  }

  /**
   * The typed informer some component of the process already runs for {@code apiVersion}/{@code kind},
   * if any: lets a generic reader reuse that cache instead of watching the kind again.
   */
  public Optional<SharedIndexInformer<? extends HasMetadata>> existing(String apiVersion, String kind) {
    return scope.existing(apiVersion, kind);
  }

  /** Waits until each informer handed out so far has listed once. */
  public void start(Duration timeout) throws Exception {
    scope.awaitSynced(timeout);
  }

  @Override
  public void close() {
    scope.close();
  }
}
