package dev.skiff.apiserver.discovery;

import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v2 paths of one resource, laid out as upstream's API installer publishes them: the
 * collection (list, create, delete collection), the all-namespaces list of a namespaced resource,
 * the item (read, replace, patch, delete) and the {@code status} and {@code scale} subresources.
 * Each operation names its {@code x-kubernetes-action} (upstream's verbs: {@code get}, {@code list},
 * {@code post}, {@code put}, {@code patch}, {@code delete}, {@code deletecollection}) and
 * {@code x-kubernetes-group-version-kind}, and only verbs the resource supports appear.
 *
 * @param r the resource
 * @param kindRef the definition name of its kind, or null when there is none
 * @param listRef the definition name of its list kind, or null when there is none
 */
record OpenApiV2Paths(ResourceDefinition r, String kindRef, String listRef) {
  private static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
  private static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
  private static final String SCALE = "io.k8s.api.autoscaling.v1.Scale";
  private static final List<String> LIST_PARAMS = List.of("allowWatchBookmarks", "continue", "fieldSelector",
      "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds",
      "watch");
  private static final List<String> WRITE_PARAMS = List.of("dryRun", "fieldManager", "fieldValidation");
  private static final List<String> DELETE_PARAMS = List.of("dryRun", "gracePeriodSeconds", "orphanDependents",
      "propagationPolicy");

  void addTo(ObjectNode paths) {
    String gv = r.group().isEmpty() ? "/api/" + r.version() : "/apis/" + r.group() + "/" + r.version();
    String collection = gv + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
    if (r.namespaced() && r.supports("list")) {
      ObjectNode all = pathItem(paths, gv + "/" + r.plural(), false, false);
      operation(all, "get", "list", "list" + r.kind() + "ForAllNamespaces", listRef, LIST_PARAMS);
    }
    ObjectNode list = pathItem(paths, collection, r.namespaced(), false);
    if (r.supports("list")) {
      operation(list, "get", "list", opId("list", ""), listRef, LIST_PARAMS);
    }
    if (r.supports("create")) {
      body(operation(list, "post", "post", opId("create", ""), kindRef, WRITE_PARAMS), kindRef, true);
    }
    if (r.supports("deletecollection")) {
      operation(list, "delete", "deletecollection", opId("deletecollection", ""), STATUS, LIST_PARAMS);
    }
    String itemPath = collection + "/{name}";
    itemOperations(pathItem(paths, itemPath, r.namespaced(), true), "", kindRef, r.verbs());
    for (ResourceDefinition.Subresource s : r.subresources()) {
      if (s.name().equals("status") || s.name().equals("scale")) {
        String ref = s.name().equals("scale") ? SCALE : kindRef;
        itemOperations(pathItem(paths, itemPath + "/" + s.name(), r.namespaced(), true), s.name(), ref, s.verbs());
      }
    }
    if (list.size() == 1) {
      paths.remove(collection); // parameters only: the resource is not listable nor creatable
    }
  }

  private void itemOperations(ObjectNode item, String sub, String ref, List<String> verbs) {
    if (verbs.contains("get")) {
      operation(item, "get", "get", opId("read", sub), ref, List.of());
    }
    if (verbs.contains("update")) {
      body(operation(item, "put", "put", opId("replace", sub), ref, WRITE_PARAMS), ref, true);
    }
    if (verbs.contains("patch")) {
      ObjectNode patch = operation(item, "patch", "patch", opId("patch", sub), ref, WRITE_PARAMS);
      patch.withArray("parameters").addObject().put("in", "query").put("name", "force").put("type", "boolean")
          .put("uniqueItems", true);
      body(patch, null, true);
      ArrayNode consumes = patch.putArray("consumes").add("application/json-patch+json")
          .add("application/merge-patch+json");
      if (r.group().isEmpty() || r.group().endsWith(".k8s.io") || !r.group().contains(".")) {
        consumes.add("application/strategic-merge-patch+json");
      }
      consumes.add("application/apply-patch+yaml");
    }
    if (sub.isEmpty() && verbs.contains("delete")) {
      body(operation(item, "delete", "delete", opId("delete", sub), STATUS, DELETE_PARAMS), DELETE_OPTIONS, false);
    }
  }

  private static ObjectNode pathItem(ObjectNode paths, String path, boolean namespaced, boolean named) {
    ObjectNode item = paths.putObject(path);
    ArrayNode params = item.putArray("parameters");
    if (named) {
      params.addObject().put("description", "name of the resource").put("in", "path").put("name", "name")
          .put("required", true).put("type", "string").put("uniqueItems", true);
    }
    if (namespaced) {
      params.addObject().put("description", "object name and auth scope, such as for teams and projects")
          .put("in", "path").put("name", "namespace").put("required", true).put("type", "string")
          .put("uniqueItems", true);
    }
    params.addObject().put("description", "If 'true', then the output is pretty printed.").put("in", "query")
        .put("name", "pretty").put("type", "string").put("uniqueItems", true);
    return item;
  }

  private ObjectNode operation(ObjectNode item, String method, String action, String operationId, String ref,
      List<String> query) {
    ObjectNode op = item.putObject(method);
    op.putArray("consumes").add("*/*");
    op.putArray("produces").add("application/json").add("application/yaml")
        .add("application/vnd.kubernetes.protobuf");
    op.putArray("schemes").add("https");
    op.putArray("tags").add(tag());
    op.put("operationId", operationId);
    ArrayNode params = op.putArray("parameters");
    for (String q : query) {
      params.addObject().put("in", "query").put("name", q)
          .put("type", switch (q) {
            case "limit", "timeoutSeconds", "gracePeriodSeconds" -> "integer";
            case "watch", "allowWatchBookmarks", "sendInitialEvents", "orphanDependents" -> "boolean";
            default -> "string";
          }).put("uniqueItems", true);
    }
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject("200").put("description", "OK");
    if (ref != null) {
      ok.putObject("schema").put("$ref", "#/definitions/" + ref);
      if (method.equals("post") || method.equals("put")) {
        responses.putObject("201").put("description", "Created").putObject("schema")
            .put("$ref", "#/definitions/" + ref);
      }
    }
    responses.putObject("401").put("description", "Unauthorized");
    op.put("x-kubernetes-action", action);
    String kind = ref == null || !ref.equals(SCALE) ? r.kind() : "Scale";
    ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
    if (kind.equals("Scale")) {
      gvk.put("group", "autoscaling").put("kind", kind).put("version", "v1");
    } else {
      gvk.put("group", r.group()).put("kind", kind).put("version", r.version());
    }
    return op;
  }

  /** Adds the request body; {@code ref} null: an untyped patch document. */
  private static ObjectNode body(ObjectNode op, String ref, boolean required) {
    ObjectNode body = op.withArray("parameters").insertObject(0).put("in", "body").put("name", "body")
        .put("required", required);
    ObjectNode schema = body.putObject("schema");
    if (ref == null) {
      schema.put("type", "object");
    } else {
      schema.put("$ref", "#/definitions/" + ref);
    }
    return op;
  }

  /** Upstream's tag: the group's first label and the version ({@code apps_v1}, {@code core_v1}). */
  private String tag() {
    String g = r.group().isEmpty() ? "core" : r.group().replace(".k8s.io", "").replace('.', '_').replace('-', '_');
    return g + "_" + r.version();
  }

  /** Upstream-shaped operation ids: {@code listCoreV1NamespacedPod}, {@code patchAppsV1NamespacedDeploymentScale}. */
  private String opId(String verb, String sub) {
    StringBuilder id = new StringBuilder(verb);
    for (String part : tag().split("_")) {
      if (!part.isEmpty()) {
        id.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
      }
    }
    id.append(r.namespaced() ? "Namespaced" : "").append(r.kind());
    if (!sub.isEmpty()) {
      id.append(sub.substring(0, 1).toUpperCase(Locale.ROOT)).append(sub.substring(1));
    }
    return id.toString();
  }
}
