package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.FieldSelector;
import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.apply.WriteOrigin;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.json.JsonBuffer;
import dev.skiff.apiserver.registry.DeletionPropagation;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.storage.KeyValue;
import dev.skiff.apiserver.registry.ListOptions;
import dev.skiff.apiserver.registry.ListResult;
import dev.skiff.apiserver.registry.NamespaceDeletion;
import dev.skiff.apiserver.registry.Patches;
import dev.skiff.apiserver.registry.ResourceLister;
import dev.skiff.apiserver.registry.ResourceWatch;
import dev.skiff.apiserver.registry.ScalePaths;
import dev.skiff.apiserver.registry.ScaleView;
import dev.skiff.apiserver.registry.TableConvertor;
import dev.skiff.apiserver.registry.core.PodBinding;
import dev.skiff.apiserver.registry.core.PodEviction;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves resource requests ({@code /api/v1/...}, {@code /apis/G/V/...}) from the generic stores:
 * decodes the request, calls the store for the verb, and encodes the answer in the negotiated
 * format. Thread-safe; holds no per-request state.
 */
final class ResourceHandler implements AutoCloseable {
  private final Map<ResourceDefinition, GenericStore> stores;
  private final NamespaceDeletion namespaceDeletion;
  private final InstantSource clock;
  private final Duration bookmarkInterval;
  private final WatchStreamer watches;
  private static final java.util.Set<String> WRITE_VERBS = java.util.Set.of("create", "update", "patch");
  private final FieldValidation fieldValidation = new FieldValidation(RequestBodies.SCHEMA);

  ResourceHandler(Map<ResourceDefinition, GenericStore> stores, NamespaceDeletion namespaceDeletion,
      InstantSource clock, Duration bookmarkInterval,
      ServerWebSocketContainer webSockets) {
    // Live: custom resources are added and removed while serving, so the map must be thread-safe.
    this.stores = stores;
    this.namespaceDeletion = Objects.requireNonNull(namespaceDeletion, "namespaceDeletion");
    this.clock = clock;
    this.bookmarkInterval = bookmarkInterval;
    this.watches = new WatchStreamer(clock, webSockets);
  }

  void handle(Exchange ex, RequestInfo info, ResourceDefinition def) throws IOException {
    if (!WriteOrigin.CURRENT.isBound() && WRITE_VERBS.contains(info.verb())) {
      // every write of this request records its field manager in the managedFields of what it writes
      WriteOrigin origin = WriteOrigin.update(ex.query("fieldManager"), ex.header("User-Agent"), info.subresource());
      ScopedValue.where(WriteOrigin.CURRENT, origin).call(() -> {
        handle(ex, info, def);
        return null;
      });
      return;
    }
    GenericStore store = stores.get(def);
    if (store == null) {
      throw StatusError.pathNotFound(); // a custom resource whose definition just went away
    }
    String ns = def.namespaced() ? info.namespace() : "";
    String verb = info.verb();
    if (!info.subresource().isEmpty()) {
      handleSubresource(ex, info, def, store, ns);
      return;
    }
    if (!def.supports(verb)) {
      throw StatusError.methodNotSupported(def.group(), def.plural(), verb);
    }
    boolean transformable = verb.equals("get") || verb.equals("list") || verb.equals("watch");
    OutputFormat format = OutputFormat.negotiate(ex.header("Accept"), transformable);
    boolean dryRun = ex.query().getOrDefault("dryRun", List.of()).contains("All");
    switch (verb) {
      case "get" -> {
        if (format == OutputFormat.JSON) {
          stored(ex, store, store.getStored(ns, info.name()), 200);
        } else {
          one(ex, format, store, store.get(ns, info.name()), 200);
        }
      }
      case "list" -> list(ex, format, store, ns);
      case "watch" -> watch(ex, format, store, ns, info);
      case "create" -> {
        ObjectNode body = RequestBodies.object(ex.header("Content-Type"), ex.body());
        fieldValidation.check(ex, body, def, store.strategy().unknownFields(body));
        GenericStore.Created created = store.createStored(ns, body, dryRun);
        if (format == OutputFormat.JSON && created.stored() != null) {
          stored(ex, store, created.stored(), 201);
        } else {
          one(ex, format, store, created.object(), 201);
        }
      }
      case "update" -> {
        ObjectNode body = RequestBodies.object(ex.header("Content-Type"), ex.body());
        fieldValidation.check(ex, body, def, store.strategy().unknownFields(body));
        one(ex, format, store, store.update(ns, info.name(), body, dryRun), 200);
      }
      case "patch" -> {
        if (MediaType.parse(ex.header("Content-Type")).essence().equals("application/apply-patch+yaml")) {
          ServerSideApply.apply(ex, format, store, ns, info.name(), dryRun, this::one,
              config -> fieldValidation.check(ex, config, def, store.strategy().unknownFields(config)));
          return;
        }
        Patches.Type type = RequestBodies.patchType(ex.header("Content-Type"));
        JsonNode patch = RequestBodies.parse(ex.body(), false);
        String rv = patch.path("metadata").path("resourceVersion").asString("");
        ObjectNode patched = store.guaranteedUpdate(ns, info.name(), rv, dryRun, old -> {
          JsonNode out = Patches.apply(type, old, patch);
          if (!(out instanceof ObjectNode o)) {
            throw StatusError.badRequest("the patch did not produce an object");
          }
          // the patched object is decoded as an update body is: what the patch added unknown is refused or dropped
          fieldValidation.check(ex, o, def, store.strategy().unknownFields(o));
          ObjectMeta.of(o).remove("resourceVersion");
          return o;
        });
        one(ex, format, store, patched, 200);
      }
      case "delete" -> delete(ex, format, store, ns, info.name(), dryRun);
      case "deletecollection" -> deleteCollection(ex, format, store, ns, dryRun);
      default -> throw StatusError.methodNotSupported(def.group(), def.plural(), verb);
    }
  }

  private void handleSubresource(Exchange ex, RequestInfo info, ResourceDefinition def, GenericStore store, String ns)
      throws IOException {
    boolean known = def.subresources().stream().anyMatch(s -> s.name().equals(info.subresource()));
    if (known && info.subresource().equals("binding") && info.verb().equals("create")) {
      JsonNode binding = RequestBodies.object(ex.header("Content-Type"), ex.body());
      new PodBinding(store, clock).bind(ns, info.name(), binding);
      ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
      status.putObject("metadata");
      status.put("status", "Success").put("code", 201);
      ex.reply(201, "application/json", Json.write(status));
      return;
    }
    if (known && info.subresource().equals("eviction") && info.verb().equals("create")) {
      evict(ex, info, store, ns);
      return;
    }
    if (known && info.subresource().equals("finalize") && info.verb().equals("update")) {
      OutputFormat format = OutputFormat.negotiate(ex.header("Accept"), false);
      boolean dryRun = ex.query().getOrDefault("dryRun", List.of()).contains("All");
      ObjectNode body = RequestBodies.object(ex.header("Content-Type"), ex.body());
      one(ex, format, store, namespaceDeletion.finalizeNamespace(store, info.name(), body, dryRun), 200);
      return;
    }
    if (known && info.subresource().equals("scale")) {
      scale(ex, info, store, ns);
      return;
    }
    if (!known || !info.subresource().equals("status")) {
      throw StatusError.pathNotFound();
    }
    OutputFormat format = OutputFormat.negotiate(ex.header("Accept"), info.verb().equals("get"));
    boolean dryRun = ex.query().getOrDefault("dryRun", List.of()).contains("All");
    if (info.verb().equals("patch")
        && MediaType.parse(ex.header("Content-Type")).essence().equals("application/apply-patch+yaml")) {
      ServerSideApply.applyStatus(ex, format, store, ns, info.name(), dryRun, this::one);
      return;
    }
    switch (info.verb()) {
      case "get" -> one(ex, format, store, store.get(ns, info.name()), 200);
      case "update", "patch" -> {
        JsonNode body = info.verb().equals("update")
            ? RequestBodies.object(ex.header("Content-Type"), ex.body())
            : RequestBodies.parse(ex.body(), false);
        Patches.Type type = info.verb().equals("patch") ? RequestBodies.patchType(ex.header("Content-Type")) : null;
        String rv = body.path("metadata").path("resourceVersion").asString("");
        // Only status changes through this subresource; the rest of the object stays as stored.
        ObjectNode updated = store.guaranteedUpdate(ns, info.name(), rv, dryRun, old -> {
          JsonNode source = type == null ? body : Patches.apply(type, old, body);
          ObjectNode out = old.deepCopy();
          out.set("status", source.path("status").deepCopy());
          return out;
        }, true);
        one(ex, format, store, updated, 200);
      }
      default -> throw StatusError.methodNotSupported(def.group(), def.plural() + "/status", info.verb());
    }
  }

  /** pods/eviction: the pod is deleted as its Eviction's deleteOptions say, if its budget allows. */
  private void evict(Exchange ex, RequestInfo info, GenericStore pods, String ns) throws IOException {
    GenericStore budgets = stores.entrySet().stream()
        .filter(e -> e.getKey().group().equals("policy") && e.getKey().plural().equals("poddisruptionbudgets"))
        .map(Map.Entry::getValue).findFirst().orElseThrow(() -> StatusError.internal("no PodDisruptionBudget store"));
    ObjectNode eviction = RequestBodies.object(ex.header("Content-Type"), ex.body());
    boolean dryRun = ex.query().getOrDefault("dryRun", List.of()).contains("All");
    new PodEviction(pods, budgets, clock).evict(ns, info.name(), eviction, dryRun, options -> {
      boolean dry = dryRun;
      for (JsonNode d : options.path("dryRun")) {
        dry |= d.asString("").equals("All");
      }
      Long grace = options.path("gracePeriodSeconds").isNumber() ? options.path("gracePeriodSeconds").asLong() : null;
      String uid = options.path("preconditions").path("uid").asString("");
      String rv = options.path("preconditions").path("resourceVersion").asString("");
      DeletionPropagation.prepare(pods, ns, info.name(), options, "", uid, dry);
      pods.delete(ns, info.name(), uid, rv, dry, grace);
    });
    ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success").put("code", 201);
    ex.reply(201, "application/json", Json.write(status));
  }

  private void scale(Exchange ex, RequestInfo info, GenericStore store, String ns) throws IOException {
    OutputFormat format = OutputFormat.negotiate(ex.header("Accept"), false);
    boolean dryRun = ex.query().getOrDefault("dryRun", List.of()).contains("All");
    ScalePaths paths = store.strategy().scalePaths();
    switch (info.verb()) {
      case "get" -> ex.reply(200, format.contentType(), format.encode(ScaleView.of(store.get(ns, info.name()), paths)));
      case "update", "patch" -> {
        JsonNode body = info.verb().equals("update")
            ? RequestBodies.object(ex.header("Content-Type"), ex.body())
            : RequestBodies.parse(ex.body(), false);
        Patches.Type type = info.verb().equals("patch") ? RequestBodies.patchType(ex.header("Content-Type")) : null;
        String rv = type == null ? ScaleView.resourceVersion(body) : "";
        ObjectNode updated = store.guaranteedUpdate(ns, info.name(), rv, dryRun, old -> {
          JsonNode scale = type == null ? body : Patches.apply(type, ScaleView.of(old, paths), body);
          ScaleView.setReplicas(old, paths, ScaleView.replicas(scale, info.name()));
          return old;
        });
        ex.reply(200, format.contentType(), format.encode(ScaleView.of(updated, paths)));
      }
      default -> throw StatusError.methodNotSupported(store.definition().group(),
          store.definition().plural() + "/scale", info.verb());
    }
  }

  /** A JSON response of one object written from its stored bytes, without decoding or encoding a tree. */
  private static void stored(Exchange ex, GenericStore store, KeyValue kv, int status) {
    JsonBuffer body = new JsonBuffer(kv.value().size() + 64);
    store.codec().writeObject(kv, body);
    ex.reply(status, OutputFormat.JSON.contentType(), body.array(), body.size());
  }

  void one(Exchange ex, OutputFormat format, GenericStore store, ObjectNode obj, int status) {
    JsonNode out = switch (format) {
      case TABLE -> TableConvertor.table(store.strategy(), List.of(obj), ObjectMeta.resourceVersion(obj), "", null,
          QueryOptions.include(ex), clock.instant(), true);
      case PARTIAL_METADATA -> TableConvertor.partialMetadata(obj);
      default -> obj;
    };
    ex.reply(status, format.contentType(), format.encode(out));
  }

  private void list(Exchange ex, OutputFormat format, GenericStore store, String ns) {
    if (format == OutputFormat.JSON) {
      JsonBuffer body = JsonLists.write(store, new ResourceLister(store).listStored(ns, QueryOptions.listOptions(ex)));
      ex.reply(200, format.contentType(), body.array(), body.size());
      return;
    }
    ListResult result = new ResourceLister(store).list(ns, QueryOptions.listOptions(ex));
    String rv = Long.toString(result.revision());
    JsonNode out;
    if (format == OutputFormat.TABLE) {
      out = TableConvertor.table(store.strategy(), result.items(), rv, result.continueToken(),
          result.remainingItemCount(), QueryOptions.include(ex), clock.instant(), true);
    } else {
      ObjectNode list = Json.object();
      if (format == OutputFormat.PARTIAL_METADATA) {
        list.put("kind", "PartialObjectMetadataList").put("apiVersion", "meta.k8s.io/v1");
      } else {
        list.put("kind", store.definition().listKind()).put("apiVersion", store.definition().apiVersion());
      }
      ObjectNode meta = list.putObject("metadata").put("resourceVersion", rv);
      if (!result.continueToken().isEmpty()) {
        meta.put("continue", result.continueToken());
      }
      if (result.remainingItemCount() != null) {
        meta.put("remainingItemCount", result.remainingItemCount());
      }
      ArrayNode items = list.putArray("items");
      for (ObjectNode item : result.items()) {
        if (format == OutputFormat.PARTIAL_METADATA) {
          items.add(TableConvertor.partialMetadata(item));
        } else {
          // Items of a typed list carry no kind or apiVersion, as upstream encodes them.
          items.add(item.without(List.of("kind", "apiVersion")));
        }
      }
      out = list;
    }
    ex.reply(200, format.contentType(), format.encode(out));
  }

  private void watch(Exchange ex, OutputFormat format, GenericStore store, String ns, RequestInfo info)
      throws IOException {
    ListOptions options = QueryOptions.listOptions(ex);
    if (!info.name().isEmpty()) {
      // GET .../watch/RESOURCE/NAME: a watch on one object, as a field selector on its name
      options = new ListOptions(options.labelSelector(),
          FieldSelector.parse("metadata.name=" + info.name()), options.limit(), options.continueToken(),
          options.resourceVersion(), options.resourceVersionMatch(), options.allowWatchBookmarks(),
          options.sendInitialEvents(), options.timeout());
    }
    ResourceWatch watch = new ResourceWatch(store, ns, options, bookmarkInterval);
    WatchStreamer.Encoding encoding = new WatchStreamer.Encoding(store.strategy(), format, QueryOptions.include(ex));
    if (WatchStreamer.wantsWebSocket(ex)) {
      try {
        if (watches.serveWebSocket(ex, watch, encoding, options.timeout())) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("WebSocket upgrade failed", e);
      }
      throw StatusError.badRequest("invalid WebSocket upgrade request");
    }
    watches.serve(ex, watch, encoding, options.timeout());
  }

  private void delete(Exchange ex, OutputFormat format, GenericStore store, String ns, String name, boolean dryRun)
      throws IOException {
    JsonNode opts = RequestBodies.optional(ex.header("Content-Type"), ex.body());
    if (opts.path("dryRun").isArray()) {
      for (JsonNode d : opts.path("dryRun")) {
        dryRun |= d.asString("").equals("All");
      }
    }
    String uid = opts.path("preconditions").path("uid").asString("");
    String rv = opts.path("preconditions").path("resourceVersion").asString("");
    ResourceDefinition def = store.definition();
    if (def.group().isEmpty() && def.plural().equals("namespaces") && !dryRun) {
      one(ex, format, store, namespaceDeletion.delete(store, name, uid, rv), 200);
      return;
    }
    Long grace = opts.path("gracePeriodSeconds").isNumber() ? Long.valueOf(opts.path("gracePeriodSeconds").asLong()) : null;
    if (!ex.query("gracePeriodSeconds").isEmpty()) {
      try {
        grace = Long.parseLong(ex.query("gracePeriodSeconds"));
      } catch (NumberFormatException e) {
        throw StatusError.badRequest("gracePeriodSeconds must be an integer");
      }
    }
    DeletionPropagation.prepare(store, ns, name, opts, ex.query("propagationPolicy"), uid, dryRun);
    GenericStore.Deleted deleted = store.delete(ns, name, uid, rv, dryRun, grace);
    if (!deleted.gone() || store.strategy().returnDeletedObject()) {
      one(ex, format, store, deleted.object(), 200);
      return;
    }
    ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    ObjectNode details = status.putObject("details").put("name", name);
    if (!def.group().isEmpty()) {
      details.put("group", def.group());
    }
    details.put("kind", def.plural()).put("uid", ObjectMeta.uid(deleted.object()));
    ex.reply(200, format.contentType(), format.encode(status));
  }

  private void deleteCollection(Exchange ex, OutputFormat format, GenericStore store, String ns, boolean dryRun) {
    ListResult result = new ResourceLister(store).list(ns, QueryOptions.listOptions(ex));
    ObjectNode list = Json.object().put("kind", store.definition().listKind())
        .put("apiVersion", store.definition().apiVersion());
    list.putObject("metadata").put("resourceVersion", Long.toString(result.revision()));
    ArrayNode items = list.putArray("items");
    for (ObjectNode item : result.items()) {
      try {
        items.add(store.delete(ObjectMeta.namespace(item), ObjectMeta.name(item), "", "", dryRun).object()
            .without(List.of("kind", "apiVersion")));
      } catch (StatusError e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
    ex.reply(200, format.contentType(), format.encode(list));
  }

  @Override
  public void close() {
    watches.close();
  }
}
