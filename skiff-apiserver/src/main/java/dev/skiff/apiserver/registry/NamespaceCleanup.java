package dev.skiff.apiserver.registry;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.Store;
import java.util.List;

/**
 * Deletes everything in a namespace, as upstream's namespace controller does before it removes the
 * {@code kubernetes} finalizer. Run synchronously on namespace deletion until a namespace
 * controller exists. Objects with finalizers are removed as well.
 */
public final class NamespaceCleanup {
  private final List<GenericStore> namespaced;

  public NamespaceCleanup(List<GenericStore> stores) {
    this.namespaced = stores.stream().filter(s -> s.definition().namespaced()).toList();
  }

  public void purge(String namespace) {
    for (GenericStore s : namespaced) {
      Store store = s.store();
      for (KeyValue kv : store.range(RangeRequest.prefix(s.codec().prefix(namespace))).kvs()) {
        // A concurrent write makes this delete fail; the object then belongs to the writer, as
        // upstream's controller would retry. Good enough while deletion is synchronous.
        store.delete(kv.key(), kv.modRevision());
      }
    }
  }
}
