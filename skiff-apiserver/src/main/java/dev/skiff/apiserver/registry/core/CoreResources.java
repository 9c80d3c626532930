package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.registry.AdmissionPlugins;
import dev.skiff.apiserver.registry.ObjectLookup;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.storage.Store;
import java.util.List;

/** The built-in resources of the core group, in discovery order. */
public final class CoreResources {
  private CoreResources() {}

  /**
   * @param store for the Service address allocator and pod admission, which read objects stored there
   * @param admission which admission plugins pods go through
   */
  public static List<ResourceStrategy> strategies(Store store, AdmissionPlugins admission) {
    return strategies(store, admission, ObjectLookup.of(store));
  }

  /** As above, with pod admission reading through {@code lookup} (the server's watch caches). */
  public static List<ResourceStrategy> strategies(Store store, AdmissionPlugins admission, ObjectLookup lookup) {
    return List.of(new ConfigMapStrategy(), new EventStrategy(), new NamespaceStrategy(), new NodeStrategy(),
        new PodStrategy(lookup, admission.enabled(AdmissionPlugins.SERVICE_ACCOUNT)), new SecretStrategy(),
        new ServiceStrategy(new ServiceAddresses(store)));
  }

  /** The namespaces that exist in every cluster, created at startup. */
  public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
}
