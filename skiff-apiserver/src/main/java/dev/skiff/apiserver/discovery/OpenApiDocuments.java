package dev.skiff.apiserver.discovery;

import dev.skiff.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 documents at {@code /openapi/v3}: an index of group versions and, per group
 * version, the resource paths with their operations, each tagged with
 * {@code x-kubernetes-group-version-kind} and listing the query parameters. kubectl reads them to
 * learn that the server validates fields itself ({@code fieldValidation}), so that
 * {@code create -f} and {@code apply} need no client-side schema.
 *
 * <p>Object schemas are not described yet, so PATCH operations carry no request body: kubectl then
 * computes strategic merge patches from its built-in types, as upstream allows.
 */
public final class OpenApiDocuments {
  private static final String[] WRITE_PARAMS = {"dryRun", "fieldManager", "fieldValidation", "pretty"};

  private final ResourceRegistry registry;

  public OpenApiDocuments(ResourceRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  private Set<String> groupVersionPaths() {
    Set<String> out = new LinkedHashSet<>();
    for (ResourceDefinition r : registry.all()) {
      out.add(r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version());
    }
    return out;
  }

  /** {@code /openapi/v3}: where each group version's document is. */
  public ObjectNode index() {
    ObjectNode root = Json.object();
    ObjectNode paths = root.putObject("paths");
    for (String gv : groupVersionPaths()) {
      paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(document(gv)));
    }
    return root;
  }

  /** {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/G/V}, or null when not served. */
  public ObjectNode document(String groupVersionPath) {
    if (!groupVersionPaths().contains(groupVersionPath)) {
      return null;
    }
    ObjectNode doc = Json.object().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    for (ResourceDefinition r : registry.all()) {
      String gv = r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
      if (!gv.equals(groupVersionPath)) {
        continue;
      }
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
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static void operation(ObjectNode path, String method, String action, ResourceDefinition r) {
    ObjectNode op = path.putObject(method);
    op.put("operationId", action + r.kind());
    op.put("x-kubernetes-action", action);
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

  private static String hash(ObjectNode doc) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-512").digest(Json.writeString(doc).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(d, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
