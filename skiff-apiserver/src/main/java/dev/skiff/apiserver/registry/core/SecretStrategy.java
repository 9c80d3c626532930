package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Secrets ({@code pkg/registry/core/secret}): {@code stringData} folds into base64 {@code data},
 * type defaults to Opaque and cannot change, typed secrets need their keys, at most 1 MiB of data.
 */
public final class SecretStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "Secret", "secrets",
      "secret", true, ResourceDefinition.ALL_VERBS, List.of(), List.of(), List.of());

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    normalize(obj);
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    normalize(obj);
  }

  private static void normalize(ObjectNode obj) {
    if (Json.text(obj, "type").orElse("").isEmpty()) {
      obj.put("type", "Opaque");
    }
    for (Map.Entry<String, JsonNode> e : obj.path("data").properties()) {
      try {
        Base64.getDecoder().decode(e.getValue().asString(""));
      } catch (IllegalArgumentException bad) {
        throw StatusError.badRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data");
      }
    }
    JsonNode stringData = obj.remove("stringData");
    if (stringData != null && stringData.isObject()) {
      ObjectNode data = Json.objectAt(obj, "data");
      for (Map.Entry<String, JsonNode> e : stringData.properties()) {
        data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Override
  public List<String> stringMaps() {
    return List.of("data", "stringData");
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    long total = 0;
    JsonNode data = obj.path("data");
    for (Map.Entry<String, JsonNode> e : data.properties()) {
      errors.addAll(DataKeys.validate("data[" + e.getKey() + "]", e.getKey()));
      total += e.getValue().asString("").length() * 3L / 4;
    }
    if (total > DataKeys.MAX_TOTAL_BYTES) {
      errors.add(new FieldError(FieldError.Type.TOO_LONG, "data", null,
          "must have at most " + DataKeys.MAX_TOTAL_BYTES + " bytes"));
    }
    String type = obj.path("type").asString("");
    switch (type) {
      case "kubernetes.io/tls" -> {
        for (String k : List.of("tls.crt", "tls.key")) {
          if (!data.has(k)) {
            errors.add(FieldError.required("data[" + k + "]", ""));
          }
        }
      }
      case "kubernetes.io/dockerconfigjson" -> {
        if (!data.has(".dockerconfigjson")) {
          errors.add(FieldError.required("data[.dockerconfigjson]", ""));
        }
      }
      case "kubernetes.io/service-account-token" -> {
        if (!obj.path("metadata").path("annotations").has("kubernetes.io/service-account.name")) {
          errors.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
        }
      }
      case "kubernetes.io/basic-auth" -> {
        if (!data.has("username") && !data.has("password")) {
          errors.add(FieldError.required("data[username]", ""));
        }
      }
      default -> {}
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    String type = obj.path("type").asString("");
    String oldType = old.path("type").asString("");
    if (!type.equals(oldType)) {
      errors.add(FieldError.invalid("type", type, "field is immutable"));
    }
    if (old.path("immutable").asBoolean(false) && !obj.path("data").equals(old.path("data"))) {
      errors.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
    }
    return errors;
  }

  @Override
  public Set<String> selectableFields() {
    return Set.of("type");
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    return field.equals("type") ? Json.text(obj, "type") : Optional.empty();
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(), TableColumn.of("Type", "string", "The type of the secret"),
        TableColumn.of("Data", "string", "The number of entries in the data"), TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return List.of(ObjectMeta.name(obj), obj.path("type").asString(""), obj.path("data").size(),
        ResourceStrategy.age(obj, now));
  }
}
