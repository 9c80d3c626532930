package dev.skiff.apiserver.discovery;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 documents at {@code /openapi/v3}: an index of group versions and, per group
 * version, the resource paths with their operations, each tagged with
 * {@code x-kubernetes-group-version-kind} and listing the query parameters, and the object
 * schemas under {@code components}: built-in kinds from {@link ModelSchemas}, custom resources from
 * their CRD's schema. kubectl reads the parameters to learn that the server validates fields itself
 * ({@code fieldValidation}) and the schemas for {@code kubectl explain}.
 *
 * <p>Custom resources' schemas get upstream's additions (metadata, apiVersion, kind; see
 * {@link CustomResourceSchemas}). {@link #v2()} serves the same schemas as OpenAPI v2.
 *
 * <p>PATCH operations carry no request body: kubectl computes strategic merge patches from its
 * built-in types, as upstream allows. Documents are cached until the group version's resources (or
 * a custom resource's schema) change.
 */
public final class OpenApiDocuments {
  private static final String[] WRITE_PARAMS = {"dryRun", "fieldManager", "fieldValidation", "pretty"};
  private static final String V3_REF = "#/components/schemas/";

  private final ResourceRegistry registry;
  private final Function<ResourceDefinition, Optional<JsonNode>> customSchemas;
  private final ModelSchemas models;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final OpenApiV2 v2;

  private record Cached(List<Object> key, ObjectNode document) {}

  /**
   * @param customSchemas the OpenAPI v3 schema of a custom resource's served version (empty for built-in kinds)
   * @param mergeKeys the strategic-merge keys of a list field, by field name
   */
  public OpenApiDocuments(ResourceRegistry registry, Function<ResourceDefinition, Optional<JsonNode>> customSchemas,
      Function<String, List<String>> mergeKeys) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.customSchemas = Objects.requireNonNull(customSchemas, "customSchemas");
    this.models = new ModelSchemas(Objects.requireNonNull(mergeKeys, "mergeKeys"));
    this.v2 = new OpenApiV2(registry, customSchemas, models);
  }

  /** {@code /openapi/v2}: the Swagger 2.0 document over the same schemas. */
  public OpenApiV2 v2() {
    return v2;
  }

  private Set<String> groupVersionPaths() {
    Set<String> out = new LinkedHashSet<>();
    for (ResourceDefinition r : registry.all()) {
      out.add(gvPath(r));
    }
    return out;
  }

  /** {@code /openapi/v3}: where each group version's document is. */
  public ObjectNode index() {
    ObjectNode root = Json.object();
    ObjectNode paths = root.putObject("paths");
    for (String gv : groupVersionPaths()) {
      // the hash of what the document is built from, so that the index does not build every document
      paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(key(gv).toString()));
    }
    return root;
  }

  /** {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/G/V}, or null when not served. */
  public ObjectNode document(String groupVersionPath) {
    if (!groupVersionPaths().contains(groupVersionPath)) {
      return null;
    }
    return cached(groupVersionPath).document();
  }

  private List<ResourceDefinition> definitions(String gv) {
    return registry.all().stream().filter(r -> gvPath(r).equals(gv)).toList();
  }

  /** What the group version's document is built from: its resources and their custom schemas. */
  private List<Object> key(String gv) {
    List<ResourceDefinition> defs = definitions(gv);
    List<Object> key = new ArrayList<>(defs);
    defs.forEach(r -> key.add(customSchemas.apply(r).orElse(null)));
    return key;
  }

  private Cached cached(String gv) {
    List<Object> key = key(gv);
    Cached c = cache.get(gv);
    if (c == null || !c.key().equals(key)) {
      c = new Cached(key, build(gv, definitions(gv)));
      cache.put(gv, c);
    }
    return c;
  }

  private static String gvPath(ResourceDefinition r) {
    return r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
  }

  private ObjectNode build(String groupVersionPath, List<ResourceDefinition> defs) {
    ObjectNode doc = Json.object().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    for (ResourceDefinition r : defs) {
      String gv = groupVersionPath;
      String collection = "/" + gv + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
      ObjectNode list = paths.putObject(collection);
      operation(list, "get", "list", r);
      operation(list, "post", "create", r);
      ObjectNode item = paths.putObject(collection + "/{name}");
      operation(item, "get", "read", r);
      operation(item, "put", "replace", r);
      operation(item, "patch", "patch", r);
      operation(item, "delete", "delete", r);
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (ResourceDefinition r : defs) {
      Optional<JsonNode> custom = customSchemas.apply(r);
      if (custom.isPresent()) {
        schemas.set(CustomResourceSchemas.definitionName(r, r.kind()),
            CustomResourceSchemas.kind(r, custom.get(), false, V3_REF));
        // the metadata property refers to ObjectMeta, which this group version's document must hold
        models.addType(io.fabric8.kubernetes.api.model.ObjectMeta.class, schemas);
      } else {
        models.modelClass(r.group(), r.version(), r.kind())
            .ifPresent(c -> models.addKind(c, r.group(), r.version(), r.kind(), schemas));
      }
    }
    return doc;
  }

  private static void operation(ObjectNode path, String method, String action, ResourceDefinition r) {
    ObjectNode op = path.putObject(method);
    op.put("operationId", action + r.kind());
    // upstream's action verbs: the HTTP method's name, but "list" for a collection's GET
    op.put("x-kubernetes-action", action.equals("list") ? "list" : method);
    op.putObject("x-kubernetes-group-version-kind").put("group", r.group()).put("version", r.version())
        .put("kind", r.kind());
    ArrayNode params = op.putArray("parameters");
    if (!method.equals("get") && !method.equals("delete")) {
      for (String p : WRITE_PARAMS) {
        params.addObject().put("name", p).put("in", "query").put("uniqueItems", true).putObject("schema")
            .put("type", "string");
      }
    }
    op.putObject("responses").putObject("200").put("description", "OK");
  }

  private static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(d, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
