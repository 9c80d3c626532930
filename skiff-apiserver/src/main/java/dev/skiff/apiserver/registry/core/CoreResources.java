package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.registry.ResourceStrategy;
import java.util.List;

/** The built-in resources of the core group, in discovery order. */
public final class CoreResources {
  private CoreResources() {}

  public static List<ResourceStrategy> strategies() {
    return List.of(new ConfigMapStrategy(), new NamespaceStrategy(), new SecretStrategy());
  }

  /** The namespaces that exist in every cluster, created at startup. */
  public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
}
