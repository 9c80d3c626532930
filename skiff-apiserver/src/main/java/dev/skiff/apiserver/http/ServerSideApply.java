package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.apply.FieldOwnership;
import dev.skiff.apiserver.apply.WriteOrigin;
import dev.skiff.apiserver.registry.GenericStore;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PATCH with {@code application/apply-patch+yaml}: server-side apply, as upstream. The applied
 * configuration is the manager's whole intent: it is merged into the object by the resource's
 * schema, fields the manager applied before and no longer applies are removed unless another
 * manager owns them, and a change to a field another manager owns fails with 409 Conflict unless
 * {@code force=true}. See {@link FieldOwnership}.
 */
final class ServerSideApply {
  /** Writes one object back in the negotiated format. */
  interface Responder {
    void reply(Exchange ex, OutputFormat format, GenericStore store, ObjectNode obj, int status);
  }

  private ServerSideApply() {}

  /** Applies the request's configuration to object {@code name}, creating it when it is missing. */
  static void apply(Exchange ex, OutputFormat format, GenericStore store, String ns, String name, boolean dryRun,
      Responder respond, Consumer<ObjectNode> fieldValidation) throws IOException {
    WriteOrigin origin = origin(ex, "");
    ObjectNode config = configuration(ex, name);
    // an applied configuration's unknown fields are refused (Strict) or dropped before anyone owns them
    fieldValidation.accept(config);
    FieldOwnership ownership = store.fieldOwnership();
    boolean forced = ex.query("force").equals("true");
    ScopedValue.where(WriteOrigin.CURRENT, origin).call(() -> {
      try {
        store.get(ns, name);
      } catch (StatusError e) {
        if (e.code() != 404) {
          throw e;
        }
        try {
          respond.reply(ex, format, store, store.create(ns, ownership.apply(null, config, origin, forced), dryRun), 201);
          return null;
        } catch (StatusError raced) {
          if (raced.code() != 409 || !"AlreadyExists".equals(raced.reason())) {
            throw raced;
          }
        }
      }
      String rv = config.path("metadata").path("resourceVersion").asString("");
      ObjectNode merged = store.guaranteedUpdate(ns, name, rv, dryRun, old -> {
        ObjectNode out = ownership.apply(old, config, origin, forced);
        ObjectMeta.of(out).remove("resourceVersion");
        return out;
      });
      respond.reply(ex, format, store, merged, 200);
      return null;
    });
  }

  /**
   * Apply to the {@code status} subresource: only the status of the configuration is merged and
   * owned (with subresource {@code status}); the object must exist.
   */
  static void applyStatus(Exchange ex, OutputFormat format, GenericStore store, String ns, String name, boolean dryRun,
      Responder respond) throws IOException {
    WriteOrigin origin = origin(ex, "status");
    ObjectNode config = configuration(ex, name);
    boolean forced = ex.query("force").equals("true");
    String rv = config.path("metadata").path("resourceVersion").asString("");
    ObjectNode updated = ScopedValue.where(WriteOrigin.CURRENT, origin).call(() ->
        store.guaranteedUpdate(ns, name, rv, dryRun, old -> {
          ObjectNode applied = store.fieldOwnership().apply(old, config, origin, forced);
          ObjectNode out = old.deepCopy();
          copyField(applied, out, "status");
          copyField((ObjectNode) applied.get("metadata"), ObjectMeta.of(out), "managedFields");
          return out;
        }, true));
    respond.reply(ex, format, store, updated, 200);
  }

  private static void copyField(ObjectNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v == null) {
      to.remove(field);
    } else {
      to.set(field, v.deepCopy());
    }
  }

  private static WriteOrigin origin(Exchange ex, String subresource) {
    if (ex.query("fieldManager").isEmpty()) {
      throw StatusError.invalid("meta.k8s.io", "PatchOptions", "", List.of(
          FieldError.required("fieldManager", "is required for apply patch")));
    }
    String force = ex.query("force");
    if (!force.isEmpty() && !force.equals("true") && !force.equals("false")) {
      throw StatusError.badRequest("invalid value for force: " + force);
    }
    return WriteOrigin.apply(ex.query("fieldManager"), subresource);
  }

  /** The request's applied configuration, named {@code name}. */
  private static ObjectNode configuration(Exchange ex, String name) throws IOException {
    JsonNode applied = RequestBodies.parse(ex.body(), true);
    if (!(applied instanceof ObjectNode config)) {
      throw StatusError.badRequest("the applied configuration is not an object");
    }
    if (config.path("metadata").has("managedFields")) {
      throw StatusError.badRequest("metadata.managedFields must be nil");
    }
    String bodyName = ObjectMeta.name(config);
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusError.badRequest("the name of the object (%s) does not match the name on the URL (%s)".formatted(bodyName, name));
    }
    ObjectMeta.of(config).put("name", name);
    return config;
  }
}
