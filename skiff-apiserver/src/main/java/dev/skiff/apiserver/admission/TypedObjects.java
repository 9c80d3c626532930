package dev.skiff.apiserver.admission;

import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.GenericStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads API object trees as fabric8 model objects for the shared quota arithmetic, and finds the
 * stores admission reads (quotas, limit ranges). Thread-safe.
 */
final class TypedObjects {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Map<String, Class<? extends HasMetadata>> CORE_TYPES = Map.of(
      "pods", Pod.class, "services", Service.class, "persistentvolumeclaims", PersistentVolumeClaim.class);

  private TypedObjects() {}

  static <T> T read(JsonNode node, Class<T> type) {
    return MAPPER.treeToValue(node, type);
  }

  /** Pods, services and claims typed; anything else as a generic resource (only counted). */
  static HasMetadata typed(ResourceDefinition def, JsonNode obj) {
    Class<? extends HasMetadata> type = def.group().isEmpty() ? CORE_TYPES.get(def.plural()) : null;
    Class<? extends HasMetadata> chosen = type == null ? GenericKubernetesResource.class : type;
    return read(obj, chosen);
  }

  /**
   * The objects of {@code store} in {@code namespace}: from its watch cache when it has one (no
   * store read on the create path of namespaces without quotas or limit ranges, the common case),
   * else from the store. The cache may trail the store by a moment, as upstream's informer-fed
   * admission listers do.
   */
  static List<KeyValue> cachedList(GenericStore store, String namespace) {
    Bytes prefix = store.codec().prefix(namespace);
    return store.watchCache().map(c -> c.snapshot(prefix).items())
        .orElseGet(() -> store.store().range(RangeRequest.prefix(prefix)).kvs());
  }

  /** The objects of {@code store} in {@code namespace}, read from the store itself (for a CAS). */
  static List<KeyValue> storedList(GenericStore store, String namespace) {
    return store.store().range(RangeRequest.prefix(store.codec().prefix(namespace))).kvs();
  }

  /**
   * The store of the core resource {@code plural}, looked up on first use and then remembered: the
   * map is filled before the server serves, and every create asks (a scan of ~80 stores each time
   * was 1% of the server's CPU in a create benchmark).
   */
  static Supplier<GenericStore> coreStoreOnce(Map<ResourceDefinition, GenericStore> stores, String plural) {
    return new Supplier<>() {
      private volatile GenericStore found;

      @Override
      public GenericStore get() {
        GenericStore s = found;
        if (s == null) {
          s = coreStore(stores, plural);
          found = s;
        }
        return s;
      }
    };
  }

  /** The store of the core resource {@code plural}. */
  static GenericStore coreStore(Map<ResourceDefinition, GenericStore> stores, String plural) {
    List<GenericStore> found = stores.entrySet().stream()
        .filter(e -> e.getKey().group().isEmpty() && e.getKey().plural().equals(plural))
        .map(Map.Entry::getValue).toList();
    if (found.isEmpty()) {
      throw new IllegalStateException("no store for " + plural);
    }
    return found.getFirst();
  }
}
