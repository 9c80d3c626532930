package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's NamespaceLifecycle admission for creates: a namespaced object may be created only in a
 * namespace that exists and is not being deleted.
 *
 * <p>Namespaces found active are remembered, so a create does not read its namespace from the
 * store each time (upstream's admission asks a namespace lister the same way). The memory is
 * forgotten on every write to a namespace through {@link #namespaceWritten}, which
 * {@link GenericStore} calls after each update or delete of a namespace: a namespace marked for
 * deletion refuses creates from then on. A namespace not remembered is read from the store, so a
 * namespace created a moment ago is seen. Thread-safe.
 */
public final class NamespaceLifecycle {
  private static final String NAMESPACE_PREFIX = "/registry/namespaces/";
  private final Store store;
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  /** Counts namespace writes, so that a read racing with a write does not remember a stale answer. */
  private final AtomicLong writes = new AtomicLong();

  public NamespaceLifecycle(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Checks that {@code namespace} accepts new objects.
   *
   * @throws StatusError 404 when it does not exist, 403 when it is terminating
   */
  public void admitCreate(String namespace, String group, String resource, String name) {
    if (active.contains(namespace)) {
      return;
    }
    long writesBefore = writes.get();
    Optional<KeyValue> kv = store.get(Bytes.of(NAMESPACE_PREFIX + namespace));
    if (kv.isEmpty()) {
      throw StatusError.notFound("", "namespaces", namespace);
    }
    JsonNode ns = Json.parse(kv.get().value().unsafeArray());
    if (ObjectMeta.isTerminating(ns) || "Terminating".equals(ns.path("status").path("phase").asString(""))) {
      // the NamespaceTerminating cause lets controllers tell this refusal from others and stop retrying
      ObjectNode details = Json.object().put("name", name).put("kind", resource);
      if (!group.isEmpty()) {
        details.put("group", group);
      }
      details.putArray("causes").addObject().put("reason", "NamespaceTerminating")
          .put("message", "namespace %s is being terminated".formatted(namespace)).put("field", "metadata.namespace");
      throw new StatusError(403, "Forbidden",
          "%s \"%s\" is forbidden: unable to create new content in namespace %s because it is being terminated"
              .formatted(StatusError.qualified(group, resource), name, namespace), details);
    }
    active.add(namespace);
    if (writes.get() != writesBefore) {
      // a namespace was written while this one was read: the answer may be stale, do not keep it
      active.remove(namespace);
    }
  }

  /** Forgets what is remembered of {@code namespace}: it was just updated or deleted. */
  public void namespaceWritten(String namespace) {
    writes.incrementAndGet();
    active.remove(namespace);
  }
}
