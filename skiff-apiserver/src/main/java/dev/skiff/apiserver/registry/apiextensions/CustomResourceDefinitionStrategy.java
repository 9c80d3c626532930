package dev.skiff.apiserver.registry.apiextensions;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.MetadataValidation;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CustomResourceDefinitions at apiextensions.k8s.io/v1 ({@code apiextensions-apiserver/pkg/registry/customresourcedefinition}
 * and {@code pkg/apis/apiextensions/validation}): a name of {@code <plural>.<group>}, a group
 * with a dot, names that are DNS labels, a scope, versions with exactly one storage version and a
 * structural schema each. A create records the accepted names and the NamesAccepted condition;
 * {@link CustomResourceDefinitions} adds Established once the resource is served.
 */
public final class CustomResourceDefinitionStrategy extends SpecStatusStrategy {
  public static final ResourceDefinition DEFINITION = new ResourceDefinition("apiextensions.k8s.io", "v1",
      "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false,
      ResourceDefinition.ALL_VERBS, List.of("crd", "crds"), List.of("api-extensions"),
      List.of(Subresource.status("CustomResourceDefinition")));

  private final java.time.InstantSource clock;

  public CustomResourceDefinitionStrategy(java.time.InstantSource clock) {
    super(DEFINITION);
    this.clock = clock;
  }

  @Override
  protected void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    ObjectNode names = Json.objectAt(spec, "names");
    String kind = names.path("kind").asString("");
    if (!kind.isEmpty()) {
      Json.putIfBlank(names, "singular", kind.toLowerCase(Locale.ROOT));
      Json.putIfBlank(names, "listKind", kind + "List");
    }
    Json.putIfBlank(Json.objectAt(spec, "conversion"), "strategy", "None");
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    super.prepareForCreate(obj);
    ObjectNode status = obj.putObject("status");
    status.set("acceptedNames", obj.path("spec").path("names").deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("NamesAccepted", "True", "NoConflicts", "no conflicts found"));
    ArrayNode stored = status.putArray("storedVersions");
    storageVersion(obj).ifPresent(stored::add);
  }

  ObjectNode condition(String type, String status, String reason, String message) {
    return Json.object().put("type", type).put("status", status)
        .put("lastTransitionTime", ObjectMeta.formatTime(clock.instant())).put("reason", reason).put("message", message);
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    super.prepareForUpdate(obj, old);
    // A new storage version joins storedVersions, as upstream's strategy records it.
    storageVersion(obj).ifPresent(v -> {
      ArrayNode stored = (ArrayNode) Json.objectAt(obj, "status").withArray("storedVersions");
      boolean present = false;
      for (JsonNode s : stored) {
        present |= s.asString("").equals(v);
      }
      if (!present) {
        stored.add(v);
      }
    });
  }

  static java.util.Optional<String> storageVersion(JsonNode crd) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        return java.util.Optional.of(v.path("name").asString(""));
      }
    }
    return java.util.Optional.empty();
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = obj.path("spec");
    String group = spec.path("group").asString("");
    JsonNode names = spec.path("names");
    String plural = names.path("plural").asString("");
    if (!ObjectMeta.name(obj).equals(plural + "." + group)) {
      errors.add(FieldError.invalid("metadata.name", ObjectMeta.name(obj), "must be spec.names.plural+\".\"+spec.group"));
    }
    if (group.isEmpty()) {
      errors.add(FieldError.required("spec.group", ""));
    } else {
      MetadataValidation.dns1123Subdomain(group).forEach(m -> errors.add(FieldError.invalid("spec.group", group, m)));
      if (!group.contains(".")) {
        errors.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
      }
    }
    String scope = spec.path("scope").asString("");
    if (!scope.equals("Cluster") && !scope.equals("Namespaced")) {
      errors.add(scope.isEmpty() ? FieldError.required("spec.scope", "")
          : FieldError.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));
    }
    errors.addAll(validateNames(names));
    errors.addAll(validateVersions(spec.path("versions")));
    String strategy = spec.path("conversion").path("strategy").asString("");
    if (!strategy.equals("None") && !strategy.equals("Webhook")) {
      errors.add(FieldError.notSupported("spec.conversion.strategy", strategy, List.of("None", "Webhook")));
    }
    return errors;
  }

  private static List<FieldError> validateNames(JsonNode names) {
    List<FieldError> errors = new ArrayList<>();
    for (String f : List.of("plural", "singular")) {
      String v = names.path(f).asString("");
      if (v.isEmpty()) {
        errors.add(FieldError.required("spec.names." + f, ""));
      } else {
        MetadataValidation.dns1123Label(v).forEach(m -> errors.add(FieldError.invalid("spec.names." + f, v, m)));
      }
    }
    for (String f : List.of("kind", "listKind")) {
      String v = names.path(f).asString("");
      if (v.isEmpty()) {
        errors.add(FieldError.required("spec.names." + f, ""));
      } else if (!v.matches("[A-Za-z][A-Za-z0-9]*")) {
        errors.add(FieldError.invalid("spec.names." + f, v, "may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?"));
      }
    }
    if (!names.path("kind").asString("").isEmpty() && names.path("kind").asString("").equals(names.path("listKind").asString(""))) {
      errors.add(FieldError.invalid("spec.names.listKind", names.path("listKind").asString(""), "kind and listKind may not be the same"));
    }
    int i = 0;
    for (JsonNode s : names.path("shortNames")) {
      String at = "spec.names.shortNames[" + i++ + "]";
      MetadataValidation.dns1123Label(s.asString("")).forEach(m -> errors.add(FieldError.invalid(at, s.asString(""), m)));
    }
    return errors;
  }

  private static List<FieldError> validateVersions(JsonNode versions) {
    List<FieldError> errors = new ArrayList<>();
    if (versions.isEmpty()) {
      errors.add(FieldError.invalid("spec.versions", versions.isMissingNode() ? Json.nodes().arrayNode() : versions,
          "must have exactly one version marked as storage version"));
      return errors;
    }
    int storage = 0;
    boolean served = false;
    Set<String> seen = new HashSet<>();
    int i = 0;
    for (JsonNode v : versions) {
      String at = "spec.versions[" + i++ + "]";
      String name = v.path("name").asString("");
      if (name.isEmpty()) {
        errors.add(FieldError.required(at + ".name", ""));
      } else {
        MetadataValidation.dns1123Label(name).forEach(m -> errors.add(FieldError.invalid(at + ".name", name, m)));
        if (!seen.add(name)) {
          errors.add(FieldError.duplicate(at + ".name", name));
        }
      }
      storage += v.path("storage").asBoolean(false) ? 1 : 0;
      served |= v.path("served").asBoolean(false);
      JsonNode schema = v.path("schema").path("openAPIV3Schema");
      if (schema.isMissingNode() || schema.isNull()) {
        errors.add(FieldError.required(at + ".schema.openAPIV3Schema", "schemas are required"));
      } else {
        errors.addAll(StructuralSchema.check(schema, at + ".schema.openAPIV3Schema"));
      }
      int j = 0;
      for (JsonNode c : v.path("additionalPrinterColumns")) {
        String cat = at + ".additionalPrinterColumns[" + j++ + "]";
        if (c.path("name").asString("").isEmpty()) {
          errors.add(FieldError.required(cat + ".name", ""));
        }
        if (c.path("jsonPath").asString("").isEmpty()) {
          errors.add(FieldError.required(cat + ".jsonPath", ""));
        }
        String type = c.path("type").asString("");
        List<String> types = List.of("boolean", "date", "integer", "number", "string");
        if (!types.contains(type)) {
          errors.add(FieldError.notSupported(cat + ".type", type, types));
        }
      }
    }
    if (storage != 1) {
      errors.add(FieldError.invalid("spec.versions", versions.deepCopy(), "must have exactly one version marked as storage version"));
    }
    if (!served) {
      errors.add(FieldError.invalid("spec.versions", versions.deepCopy(), "must have at least one served version"));
    }
    return errors;
  }

  @Override
  protected List<FieldError> validateChange(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    for (String f : List.of("group", "scope")) {
      if (!obj.path("spec").path(f).equals(old.path("spec").path(f))) {
        errors.add(FieldError.invalid("spec." + f, obj.path("spec").path(f).deepCopy(), "field is immutable"));
      }
    }
    return errors;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(), new TableColumn("Created At", "date", "", "Creation timestamp of the object.", 0));
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return List.of(ObjectMeta.name(obj), obj.path("metadata").path("creationTimestamp").asString(""));
  }
}
