package dev.skiff.apiserver.discovery;

import dev.skiff.apiserver.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published OpenAPI schema of a custom resource's served version, built from its CRD's
 * {@code openAPIV3Schema} as upstream's apiextensions OpenAPI builder does: the structural schema
 * plus {@code metadata} (a reference to ObjectMeta), {@code apiVersion} and {@code kind}, embedded
 * resources' type and object meta, and {@code x-kubernetes-group-version-kind}; and the list kind's
 * schema.
 *
 * <p>For OpenAPI v2 the schema is first made v2-compatible (upstream's {@code
 * ToStructuralOpenAPIV2}): junctors ({@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}) are
 * dropped, nullable and unknown-field-preserving nodes lose their type and nested schemas, because
 * kubectl's v2 client-side validation cannot express them, and a root that preserves unknown fields
 * is published as a bare {@code type: object} so that kubectl does not reject unknown fields.
 * Stateless; every method returns a new tree.
 */
final class CustomResourceSchemas {
  static final String API_VERSION_DOC = "APIVersion defines the versioned schema of this representation of an"
      + " object. Servers should convert recognized schemas to the latest internal value, and may reject"
      + " unrecognized values. More info:"
      + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
  static final String KIND_DOC = "Kind is a string value representing the REST resource this object represents."
      + " Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In"
      + " CamelCase. More info:"
      + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
  static final String METADATA_DOC = "Standard object's metadata. More info:"
      + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
  static final String LIST_METADATA_DOC = "Standard list metadata. More info:"
      + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  static final String LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
  private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";

  private CustomResourceSchemas() {}

  /** Upstream's definition name of a custom kind: reversed group, version, kind ({@code com.example.stable.v1.CronTab}). */
  static String definitionName(ResourceDefinition r, String kind) {
    List<String> parts = new ArrayList<>(List.of(r.group().split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts) + "." + r.version() + "." + kind;
  }

  /**
   * The schema of the custom kind {@code r} from its CRD's {@code openAPIV3Schema} (null or
   * missing: none), with references under {@code refPrefix} ({@code #/definitions/} or
   * {@code #/components/schemas/}).
   */
  static ObjectNode kind(ResourceDefinition r, JsonNode crdSchema, boolean v2, String refPrefix) {
    boolean hasSchema = crdSchema != null && crdSchema.isObject() && !crdSchema.isEmpty();
    ObjectNode out;
    if (!hasSchema || v2 && crdSchema.path(PRESERVE).asBoolean(false)) {
      // no properties: kubectl would otherwise refuse every field outside them
      out = Json.object().put("type", "object");
    } else {
      out = (ObjectNode) crdSchema.deepCopy();
      if (v2) {
        toV2(out);
      }
      ObjectNode props = Json.objectAt(out, "properties");
      props.set("metadata", reference(METADATA_DOC, refPrefix, OBJECT_META));
      addTypeMeta(props);
      addEmbeddedMeta(out, v2, refPrefix);
    }
    addGroupVersionKind(out, r.group(), r.version(), r.kind());
    return out;
  }

  /** The schema of the custom kind's list ({@code CronTabList}). */
  static ObjectNode list(ResourceDefinition r, String refPrefix) {
    ObjectNode out = Json.object().put("description", r.listKind() + " is a list of " + r.kind());
    out.putArray("required").add("items");
    ObjectNode props = out.putObject("properties");
    ObjectNode items = props.putObject("items").put("description", "List of " + r.plural()
        + ". More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md")
        .put("type", "array");
    items.putObject("items").put("$ref", refPrefix + definitionName(r, r.kind()));
    props.set("metadata", reference(LIST_METADATA_DOC, refPrefix, LIST_META));
    addTypeMeta(props);
    addGroupVersionKind(out, r.group(), r.version(), r.listKind());
    return out;
  }

  static void addGroupVersionKind(ObjectNode schema, String group, String version, String kind) {
    schema.putArray("x-kubernetes-group-version-kind").addObject().put("group", group).put("kind", kind)
        .put("version", version);
  }

  /**
   * A described reference. OpenAPI v3 ignores the siblings of {@code $ref}, so there the reference
   * is wrapped in {@code allOf} (as upstream publishes it) to keep the description for kubectl explain.
   */
  private static ObjectNode reference(String description, String refPrefix, String name) {
    ObjectNode out = Json.object().put("description", description);
    if (refPrefix.equals("#/definitions/")) {
      return out.put("$ref", refPrefix + name);
    }
    out.putArray("allOf").addObject().put("$ref", refPrefix + name);
    return out;
  }

  private static void addTypeMeta(ObjectNode props) {
    props.putObject("apiVersion").put("description", API_VERSION_DOC).put("type", "string");
    props.putObject("kind").put("description", KIND_DOC).put("type", "string");
  }

  /** Upstream's {@code ToStructuralOpenAPIV2}, in place, parents before children. */
  static void toV2(ObjectNode s) {
    for (String junctor : List.of("allOf", "anyOf", "oneOf", "not")) {
      s.remove(junctor);
    }
    if (s.path("nullable").asBoolean(false)) {
      s.remove(List.of("type", "nullable", "items", "properties"));
    }
    s.remove("nullable");
    if (s.path(PRESERVE).asBoolean(false)) {
      s.remove(List.of("items", "properties"));
      if (s.path("type").asString("").equals("object")) {
        s.remove("type");
      }
    }
    if (!s.has("items") && s.path("type").asString("").equals("array")) {
      s.remove("type");
    }
    if (s.get("properties") instanceof ObjectNode props && s.get("required") instanceof ArrayNode required) {
      ArrayNode kept = Json.nodes().arrayNode();
      required.forEach(f -> {
        if (!props.path(f.asString("")).path("nullable").asBoolean(false)) {
          kept.add(f);
        }
      });
      s.set("required", kept);
    }
    if (s.path("additionalProperties").path("nullable").asBoolean(false)) {
      s.remove("required");
    }
    if (s.get("required") instanceof ArrayNode r && r.isEmpty()) {
      s.remove("required");
    }
    children(s).forEach(CustomResourceSchemas::toV2);
  }

  /** Gives every {@code x-kubernetes-embedded-resource} object its apiVersion, kind and metadata. */
  private static void addEmbeddedMeta(ObjectNode s, boolean v2, String refPrefix) {
    children(s).forEach(c -> addEmbeddedMeta(c, v2, refPrefix));
    if (v2 && s.path(PRESERVE).asBoolean(false)) {
      return; // kubectl's v2 validation would refuse the unknown fields such properties imply
    }
    if (s.path("x-kubernetes-embedded-resource").asBoolean(false)) {
      ObjectNode props = Json.objectAt(s, "properties");
      addTypeMeta(props);
      props.set("metadata", reference(METADATA_DOC, refPrefix, OBJECT_META));
      ArrayNode required = s.get("required") instanceof ArrayNode r ? r : s.putArray("required");
      for (String f : List.of("kind", "apiVersion")) {
        if (!required.valueStream().anyMatch(n -> n.asString("").equals(f))) {
          required.add(f);
        }
      }
    }
  }

  /** The schemas nested directly in {@code s}: properties, items and additionalProperties. */
  private static List<ObjectNode> children(ObjectNode s) {
    List<ObjectNode> out = new ArrayList<>();
    if (s.get("properties") instanceof ObjectNode props) {
      for (Map.Entry<String, JsonNode> e : props.properties()) {
        if (e.getValue() instanceof ObjectNode o) {
          out.add(o);
        }
      }
    }
    if (s.get("items") instanceof ObjectNode items) {
      out.add(items);
    }
    if (s.get("additionalProperties") instanceof ObjectNode extra) {
      out.add(extra);
    }
    return out;
  }
}
