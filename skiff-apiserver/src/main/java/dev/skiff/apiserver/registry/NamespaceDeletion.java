package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import dev.skiff.storage.WriteResult;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API server's half of namespace deletion, as upstream's namespace registry: a DELETE only
 * marks the namespace (deletionTimestamp, phase Terminating); the namespace controller then
 * deletes its content and removes the {@code kubernetes} finalizer through the {@code finalize}
 * subresource ({@link #finalizeNamespace}), after which the namespace is gone. Without a namespace
 * controller a deleted namespace stays Terminating, as upstream. A namespace with no finalizers
 * at all is deleted at once. The namespaces every cluster needs may not be deleted, as upstream's
 * NamespaceLifecycle admission says. Stateless and thread-safe.
 */
public final class NamespaceDeletion {
  /** Upstream's immortal namespaces. */
  public static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");
  private static final int MAX_CAS_RETRIES = 32;

  private final InstantSource clock;

  public NamespaceDeletion(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Marks namespace {@code name} Terminating, or deletes it when nothing finalizes it.
   *
   * @return the namespace as it was while terminating, which upstream answers the DELETE with
   * @throws StatusError 403 for an immortal namespace, 404 when absent, 409 when a precondition fails
   */
  public ObjectNode delete(GenericStore namespaces, String name, String preconditionUid, String preconditionRv) {
    if (IMMORTAL.contains(name)) {
      throw StatusError.forbidden("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
    }
    try {
      return markOrDelete(namespaces, name, preconditionUid, preconditionRv);
    } finally {
      // this writes the store directly: the admission must forget what it remembers of the namespace
      namespaces.namespaceWritten(name);
    }
  }

  private ObjectNode markOrDelete(GenericStore namespaces, String name, String preconditionUid, String preconditionRv) {
    Store store = namespaces.store();
    Bytes key = namespaces.codec().key("", name);
    for (int attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      KeyValue kv = store.get(key).orElseThrow(() -> StatusError.notFound("", "namespaces", name));
      ObjectNode ns = namespaces.codec().decode(kv);
      checkPreconditions(ns, kv, name, preconditionUid, preconditionRv);
      boolean held = !GenericStore.finalizers(ns).isEmpty() || namespaces.strategy().holdsDeletion(ns);
      if (!held) {
        if (store.delete(key, kv.modRevision()) instanceof WriteResult.Written) {
          return ns;
        }
        continue;
      }
      if (ObjectMeta.isTerminating(ns)) {
        return ns;
      }
      ObjectMeta.of(ns).put("deletionTimestamp", ObjectMeta.formatTime(clock.instant()));
      Json.objectAt(ns, "status").put("phase", "Terminating");
      if (store.update(key, namespaces.codec().encode(ns), kv.modRevision()) instanceof WriteResult.Written w) {
        return namespaces.codec().decode(w.kv());
      }
    }
    throw StatusError.conflict("", "namespaces", name, "too many concurrent writes; try again");
  }

  private static void checkPreconditions(ObjectNode ns, KeyValue kv, String name, String uid, String rv) {
    if (!uid.isEmpty() && !uid.equals(ObjectMeta.uid(ns))) {
      throw StatusError.conflict("", "namespaces", name, "Precondition failed: UID in precondition: %s, UID in object meta: %s"
          .formatted(uid, ObjectMeta.uid(ns)));
    }
    if (!rv.isEmpty() && !rv.equals(Long.toString(kv.modRevision()))) {
      throw StatusError.conflict("", "namespaces", name,
          "Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %d"
              .formatted(rv, kv.modRevision()));
    }
  }

  /**
   * {@code PUT namespaces/{name}/finalize}: replaces {@code spec.finalizers} with the body's and
   * nothing else. When the namespace is terminating and no finalizer is left, it is deleted (by
   * {@link GenericStore#guaranteedUpdate}, which asks {@link ResourceStrategy#holdsDeletion}).
   *
   * @return the namespace as written (as last seen when this removed it)
   */
  public ObjectNode finalizeNamespace(GenericStore namespaces, String name, JsonNode body, boolean dryRun) {
    JsonNode wanted = body.path("spec").path("finalizers");
    if (!wanted.isMissingNode() && !wanted.isNull() && !wanted.isArray()) {
      throw StatusError.badRequest("spec.finalizers must be a list");
    }
    String rv = body.path("metadata").path("resourceVersion").asString("");
    return namespaces.guaranteedUpdate("", name, rv, dryRun, old -> {
      ObjectNode out = old.deepCopy();
      ArrayNode finalizers = Json.objectAt(out, "spec").putArray("finalizers");
      wanted.forEach(f -> finalizers.add(f.asString("")));
      if (finalizers.isEmpty()) {
        ((ObjectNode) out.get("spec")).remove("finalizers");
      }
      return out;
    }, true);
  }
}
