package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's NamespaceLifecycle admission for creates: a namespaced object may be created only in a
 * namespace that exists and is not being deleted. Reads the namespace straight from the store, so
 * a namespace created a moment ago is seen.
 */
public final class NamespaceLifecycle {
  private static final String NAMESPACE_PREFIX = "/registry/namespaces/";
  private final Store store;

  public NamespaceLifecycle(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Checks that {@code namespace} accepts new objects.
   *
   * @throws StatusError 404 when it does not exist, 403 when it is terminating
   */
  public void admitCreate(String namespace, String group, String resource, String name) {
    Optional<KeyValue> kv = store.get(Bytes.of(NAMESPACE_PREFIX + namespace));
    if (kv.isEmpty()) {
      throw StatusError.notFound("", "namespaces", namespace);
    }
    JsonNode ns = Json.parse(kv.get().value().unsafeArray());
    if (ObjectMeta.isTerminating(ns) || "Terminating".equals(ns.path("status").path("phase").asString(""))) {
      throw new StatusError(403, "Forbidden",
          "%s \"%s\" is forbidden: unable to create new content in namespace %s because it is being terminated"
              .formatted(StatusError.qualified(group, resource), name, namespace), null);
    }
  }
}
