package dev.skiff.apiserver.serviceaccount;

import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.apiserver.registry.ObjectLookup;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the core objects that tokens name (service accounts, pods, secrets, nodes) through the
 * server's {@link ObjectLookup}: from the watch caches, with the store behind a miss, as upstream's
 * token authenticators read informer listers. Every request with a service account token asks
 * here, so it must not cost a storage read.
 */
public final class ClusterObjects {
  private final Map<String, GenericStore> byKind;
  private final ObjectLookup lookup;

  private ClusterObjects(Map<String, GenericStore> byKind, ObjectLookup lookup) {
    this.byKind = byKind;
    this.lookup = lookup;
  }

  /** Picks the core/v1 stores of the kinds tokens refer to out of the server's stores. */
  public static ClusterObjects of(Map<ResourceDefinition, GenericStore> stores, ObjectLookup lookup) {
    Map<String, GenericStore> byKind = new java.util.HashMap<>();
    stores.forEach((def, store) -> {
      if (def.group().isEmpty() && java.util.Set.of("ServiceAccount", "Pod", "Secret", "Node").contains(def.kind())) {
        byKind.put(def.kind(), store);
      }
    });
    return new ClusterObjects(Map.copyOf(byKind), lookup);
  }

  /** The object, or empty when it does not exist. */
  public Optional<ObjectNode> find(String kind, String namespace, String name) {
    GenericStore store = Objects.requireNonNull(byKind.get(kind), () -> "no store for " + kind);
    ObjectCodec codec = store.codec();
    return lookup.get(codec, codec.key(store.definition().namespaced() ? namespace : "", name)).map(codec::decode);
  }
}
