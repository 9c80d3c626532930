package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.Patches;
import java.io.IOException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** PATCH with {@code application/apply-patch+yaml}: server-side apply. */
final class ServerSideApply {
  /** Writes one object back in the negotiated format. */
  interface Responder {
    void reply(Exchange ex, OutputFormat format, GenericStore store, ObjectNode obj, int status);
  }

  private ServerSideApply() {}

  /**
   * Server-side apply, simplified: creates the object from the applied configuration when it is
   * missing, else merges the configuration into it as a strategic merge patch. Field ownership
   * (managedFields, conflicts, removal of fields a manager stopped applying) is not tracked yet.
   */
  static void apply(Exchange ex, OutputFormat format, GenericStore store, String ns, String name, boolean dryRun,
      Responder respond) throws IOException {
    if (ex.query("fieldManager").isEmpty()) {
      throw StatusError.invalid("meta.k8s.io", "PatchOptions", "", List.of(
          FieldError.required("fieldManager", "is required for apply patch")));
    }
    JsonNode applied = RequestBodies.parse(ex.body(), true);
    if (!(applied instanceof ObjectNode config)) {
      throw StatusError.badRequest("the applied configuration is not an object");
    }
    String bodyName = ObjectMeta.name(config);
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusError.badRequest("the name of the object (%s) does not match the name on the URL (%s)".formatted(bodyName, name));
    }
    ObjectMeta.of(config).put("name", name);
    try {
      store.get(ns, name);
    } catch (StatusError e) {
      if (e.code() != 404) {
        throw e;
      }
      try {
        respond.reply(ex, format, store, store.create(ns, config, dryRun), 201);
        return;
      } catch (StatusError raced) {
        if (raced.code() != 409 || !"AlreadyExists".equals(raced.reason())) {
          throw raced;
        }
      }
    }
    String rv = config.path("metadata").path("resourceVersion").asString("");
    ObjectNode merged = store.guaranteedUpdate(ns, name, rv, dryRun, old -> {
      JsonNode out = Patches.apply(Patches.Type.STRATEGIC_MERGE_PATCH, old, config);
      ObjectMeta.of((ObjectNode) out).remove("resourceVersion");
      return (ObjectNode) out;
    });
    respond.reply(ex, format, store, merged, 200);
  }
}
