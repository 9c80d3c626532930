package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.Store;
import dev.skiff.storage.WriteResult;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deletes a namespace the way upstream's namespace registry and controller do together: the
 * namespace turns Terminating (watchers see it), everything in it is deleted, then the namespace
 * itself. Runs synchronously on the DELETE until a namespace controller exists. The namespaces
 * every cluster needs may not be deleted, as upstream's NamespaceLifecycle admission says.
 */
public final class NamespaceCleanup {
  /** Upstream's immortal namespaces. */
  public static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");
  private static final int MAX_CAS_RETRIES = 32;

  private final java.util.Collection<GenericStore> stores;
  private final InstantSource clock;

  /** @param stores a live view: custom resources come and go while the server runs */
  public NamespaceCleanup(java.util.Collection<GenericStore> stores, InstantSource clock) {
    this.stores = Objects.requireNonNull(stores, "stores");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Deletes namespace {@code name} from {@code namespaces} and all its contents.
   *
   * @return the namespace as it was while terminating, which upstream answers the DELETE with
   * @throws StatusError 403 for an immortal namespace, 404 when absent, 409 when a precondition fails
   */
  public ObjectNode delete(GenericStore namespaces, String name, String preconditionUid, String preconditionRv) {
    if (IMMORTAL.contains(name)) {
      throw StatusError.forbidden("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
    }
    ObjectNode terminating = markTerminating(namespaces, name, preconditionUid, preconditionRv);
    purge(name);
    try {
      namespaces.delete("", name, "", "", false);
    } catch (StatusError e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    return terminating;
  }

  private ObjectNode markTerminating(GenericStore namespaces, String name, String uid, String rv) {
    Store store = namespaces.store();
    Bytes key = namespaces.codec().key("", name);
    for (int attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      KeyValue kv = store.get(key).orElseThrow(() -> StatusError.notFound("", "namespaces", name));
      ObjectNode ns = namespaces.codec().decode(kv);
      if (!uid.isEmpty() && !uid.equals(ObjectMeta.uid(ns))) {
        throw StatusError.conflict("", "namespaces", name, "Precondition failed: UID in precondition: %s, UID in object meta: %s"
            .formatted(uid, ObjectMeta.uid(ns)));
      }
      if (!rv.isEmpty() && !rv.equals(Long.toString(kv.modRevision()))) {
        throw StatusError.conflict("", "namespaces", name,
            "Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %d"
                .formatted(rv, kv.modRevision()));
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

  /** Deletes every object in {@code namespace}, finalizers or not. */
  public void purge(String namespace) {
    for (GenericStore s : stores.stream().filter(st -> st.definition().namespaced()).toList()) {
      Store store = s.store();
      for (KeyValue kv : store.range(RangeRequest.prefix(s.codec().prefix(namespace))).kvs()) {
        // A concurrent write makes this delete fail; the writer's object stays until the namespace
        // is deleted again, as upstream's controller would retry. Good enough while deletion is
        // synchronous; NamespaceLifecycle already refuses creates in a terminating namespace.
        store.delete(kv.key(), kv.modRevision());
      }
    }
  }
}
