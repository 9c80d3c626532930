package dev.skiff.apiserver.discovery;

import dev.skiff.apiserver.json.Json;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v2 (Swagger 2.0) document at {@code /openapi/v2}: one document for every served
 * resource, as upstream's aggregated spec. Definitions share their source with the v3 documents
 * ({@link ModelSchemas} for built-in kinds, the CRD's schema converted by
 * {@link CustomResourceSchemas} for custom resources) and are named as upstream's
 * ({@code io.k8s.api.core.v1.Pod}, {@code com.example.stable.v1.CronTab}); paths carry each
 * operation's {@code x-kubernetes-action} and {@code x-kubernetes-group-version-kind}.
 *
 * <p>The document is rebuilt when the set of resources or a custom resource's schema changes (a
 * CRD created, deleted, a version renamed or no longer served), on the next request after the
 * change; JSON and protobuf bodies and their ETags are computed once per rebuild. Thread-safe.
 */
public final class OpenApiV2 {
  private static final String REF = "#/definitions/";
  private static final String V3_REF = "#/components/schemas/";

  private final ResourceRegistry registry;
  private final Function<ResourceDefinition, Optional<JsonNode>> customSchemas;
  private final ModelSchemas models;
  private volatile Cached cached;
  /** Guarded by this. */
  private BuiltIns builtIns;

  /**
   * The served bodies of one version of the document.
   *
   * @param json the Swagger JSON
   * @param jsonEtag its ETag value, quoted
   * @param protobuf the gnostic {@code openapi.v2.Document}
   * @param protobufEtag its ETag value, quoted
   */
  public record Snapshot(byte[] json, String jsonEtag, byte[] protobuf, String protobufEtag) {}

  private record Cached(List<Object> key, Snapshot snapshot) {}

  OpenApiV2(ResourceRegistry registry, Function<ResourceDefinition, Optional<JsonNode>> customSchemas,
      ModelSchemas models) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.customSchemas = Objects.requireNonNull(customSchemas, "customSchemas");
    this.models = Objects.requireNonNull(models, "models");
  }

  /** The current document, rebuilt first if what it is built from has changed. */
  public Snapshot current() {
    List<ResourceDefinition> defs = registry.all();
    List<Object> key = new ArrayList<>(defs);
    defs.forEach(r -> key.add(customSchemas.apply(r).orElse(null)));
    Cached c = cached;
    if (c == null || !c.key().equals(key)) {
      synchronized (this) {
        c = cached;
        if (c == null || !c.key().equals(key)) {
          ObjectNode doc = build(defs);
          byte[] json = Json.write(doc);
          byte[] proto = OpenApiV2Protobuf.encode(doc);
          c = new Cached(key, new Snapshot(json, etag(json), proto, etag(proto)));
          cached = c;
        }
      }
    }
    return c.snapshot();
  }

  /**
   * The Swagger document over {@code defs}. Called under this object's lock: the built-in part is
   * kept between builds, so a CRD change reflects only over the built-in model classes once.
   */
  private ObjectNode build(List<ResourceDefinition> defs) {
    List<ResourceDefinition> builtInDefs = defs.stream().filter(r -> customSchemas.apply(r).isEmpty()).toList();
    if (builtIns == null || !builtIns.key().equals(builtInDefs)) {
      builtIns = buildBuiltIns(builtInDefs);
    }
    ObjectNode doc = Json.object().put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths").setAll(builtIns.paths());
    ObjectNode definitions = doc.putObject("definitions").setAll(builtIns.definitions());
    for (ResourceDefinition r : defs) {
      Optional<JsonNode> crd = customSchemas.apply(r);
      if (crd.isPresent()) {
        JsonNode schema = crd.get().isMissingNode() || crd.get().isNull() ? null : crd.get();
        String kindRef = CustomResourceSchemas.definitionName(r, r.kind());
        String listRef = CustomResourceSchemas.definitionName(r, r.listKind());
        definitions.set(kindRef, CustomResourceSchemas.kind(r, schema, true, REF));
        definitions.set(listRef, CustomResourceSchemas.list(r, REF));
        new OpenApiV2Paths(r, kindRef, listRef).addTo(paths);
      }
    }
    return doc;
  }

  /** Definitions and paths of the built-in resources; never changed once built (documents share them). */
  private record BuiltIns(List<ResourceDefinition> key, ObjectNode definitions, ObjectNode paths) {}

  private BuiltIns buildBuiltIns(List<ResourceDefinition> defs) {
    ObjectNode definitions = Json.object();
    ObjectNode paths = Json.object();
    // the types paths refer to besides the kinds: Status of deletes, DeleteOptions, the scale subresource's Scale
    for (Class<?> meta : List.of(ObjectMeta.class, ListMeta.class, Status.class, DeleteOptions.class, Scale.class)) {
      models.addType(meta, definitions);
    }
    for (ResourceDefinition r : defs) {
      String kindRef = null;
      String listRef = null;
      Optional<Class<?>> kind = models.modelClass(r.group(), r.version(), r.kind());
      if (kind.isPresent()) {
        models.addKind(kind.get(), r.group(), r.version(), r.kind(), definitions);
        kindRef = ModelSchemas.componentName(kind.get());
      }
      Optional<Class<?>> list = models.modelClass(r.group(), r.version(), r.listKind());
      if (list.isPresent()) {
        models.addKind(list.get(), r.group(), r.version(), r.listKind(), definitions);
        listRef = ModelSchemas.componentName(list.get());
      }
      new OpenApiV2Paths(r, kindRef, listRef).addTo(paths);
    }
    rewriteRefs(definitions);
    return new BuiltIns(List.copyOf(defs), definitions, paths);
  }

  /** ModelSchemas writes v3 references; v2 keeps its schemas under {@code #/definitions/}. */
  private static void rewriteRefs(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode ref = o.get("$ref");
      if (ref != null && ref.isString() && ref.stringValue().startsWith(V3_REF)) {
        o.put("$ref", REF + ref.stringValue().substring(V3_REF.length()));
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        rewriteRefs(e.getValue());
      }
    } else if (node != null && node.isArray()) {
      node.forEach(OpenApiV2::rewriteRefs);
    }
  }

  /** As upstream's handler: the upper-case hex SHA-512 of the body, quoted. */
  private static String etag(byte[] body) {
    try {
      return "\"" + HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(body)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
