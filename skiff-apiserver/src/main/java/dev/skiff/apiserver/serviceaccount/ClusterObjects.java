package dev.skiff.apiserver.serviceaccount;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.GenericStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the core objects that tokens name (service accounts, pods, secrets, nodes) from the
 * server's own stores.
 */
public final class ClusterObjects {
  private final Map<String, GenericStore> byKind;

  private ClusterObjects(Map<String, GenericStore> byKind) {
    this.byKind = byKind;
  }

  /** Picks the core/v1 stores of the kinds tokens refer to out of the server's stores. */
  public static ClusterObjects of(Map<ResourceDefinition, GenericStore> stores) {
    Map<String, GenericStore> byKind = new java.util.HashMap<>();
    stores.forEach((def, store) -> {
      if (def.group().isEmpty() && java.util.Set.of("ServiceAccount", "Pod", "Secret", "Node").contains(def.kind())) {
        byKind.put(def.kind(), store);
      }
    });
    return new ClusterObjects(Map.copyOf(byKind));
  }

  /** The object, or empty when it does not exist. */
  public Optional<ObjectNode> find(String kind, String namespace, String name) {
    GenericStore store = Objects.requireNonNull(byKind.get(kind), () -> "no store for " + kind);
    try {
      return Optional.of(store.get(store.definition().namespaced() ? namespace : "", name));
    } catch (StatusError e) {
      if (e.code() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
