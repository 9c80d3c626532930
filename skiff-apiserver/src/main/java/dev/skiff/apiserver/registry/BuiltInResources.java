package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.registry.apps.DeploymentStrategy;
import dev.skiff.apiserver.registry.apps.ReplicaSetStrategy;
import dev.skiff.apiserver.registry.coordination.LeaseStrategy;
import dev.skiff.apiserver.registry.core.CoreResources;
import dev.skiff.storage.Store;
import java.util.ArrayList;
import java.util.List;

/** Every resource the server has built in, group by group, in discovery order. */
public final class BuiltInResources {
  private BuiltInResources() {}

  /** Every built-in resource with every admission plugin on. */
  public static List<ResourceStrategy> strategies(Store store) {
    return strategies(store, AdmissionPlugins.all());
  }

  /**
   * @param store for strategies that read other objects (the Service address allocator)
   * @param admission which admission plugins the strategies apply
   */
  public static List<ResourceStrategy> strategies(Store store, AdmissionPlugins admission) {
    return strategies(store, admission, ObjectLookup.of(store));
  }

  /** As above, with admission inside strategies reading other objects through {@code lookup}. */
  public static List<ResourceStrategy> strategies(Store store, AdmissionPlugins admission, ObjectLookup lookup) {
    List<ResourceStrategy> all = new ArrayList<>(CoreResources.strategies(store, admission, lookup));
    all.add(new DeploymentStrategy());
    all.add(new ReplicaSetStrategy());
    all.add(new LeaseStrategy());
    all.addAll(MoreBuiltInResources.strategies());
    all.addAll(StoredResources.strategies());
    return all;
  }
}
