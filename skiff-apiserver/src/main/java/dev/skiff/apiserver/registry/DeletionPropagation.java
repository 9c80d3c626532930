package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The garbage collector's half of a delete request (upstream's generic registry store,
 * {@code deletionFinalizersForGarbageCollection}): {@code propagationPolicy=Foreground} puts the
 * {@code foregroundDeletion} finalizer on the object and {@code Orphan} (or the legacy
 * {@code orphanDependents=true}) the {@code orphan} finalizer, each removing the other, before the
 * delete marks the object terminating. The garbage collector then deletes or orphans the
 * dependents and removes the finalizer. {@code Background} (the default for these resources)
 * changes nothing.
 */
public final class DeletionPropagation {
  public static final String FOREGROUND = "foregroundDeletion";
  public static final String ORPHAN = "orphan";

  private DeletionPropagation() {}

  /**
   * @param options the request's DeleteOptions body (a missing node when none was sent)
   * @param queryPolicy the {@code propagationPolicy} query parameter, "" when absent
   * @param preconditionUid "" or the uid the object must have, checked before any change
   */
  public static void prepare(GenericStore store, String namespace, String name, JsonNode options, String queryPolicy,
      String preconditionUid, boolean dryRun) {
    String policy = options.path("propagationPolicy").asString(queryPolicy == null ? "" : queryPolicy);
    if (policy.isEmpty() && options.path("orphanDependents").isBoolean()) {
      policy = options.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
    }
    String add = switch (policy) {
      case "Foreground" -> FOREGROUND;
      case "Orphan" -> ORPHAN;
      case "", "Background" -> null;
      default -> throw StatusError.badRequest("unsupported propagationPolicy: " + policy);
    };
    if (add == null || dryRun) {
      return;
    }
    String remove = add.equals(FOREGROUND) ? ORPHAN : FOREGROUND;
    ObjectNode current = store.get(namespace, name);
    if (!preconditionUid.isEmpty() && !preconditionUid.equals(ObjectMeta.uid(current))) {
      return; // the delete itself reports the failed precondition
    }
    List<String> finalizers = GenericStore.finalizers(current);
    if (finalizers.contains(add) && !finalizers.contains(remove)) {
      return;
    }
    store.guaranteedUpdate(namespace, name, "", false, old -> {
      ObjectNode out = old.deepCopy();
      List<String> next = new ArrayList<>(GenericStore.finalizers(old));
      next.remove(remove);
      if (!next.contains(add)) {
        next.add(add);
      }
      ArrayNode array = ObjectMeta.of(out).putArray("finalizers");
      next.forEach(array::add);
      return out;
    });
  }
}
