package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ConfigMaps ({@code pkg/registry/core/configmap}): data and binaryData keys are config keys, no key
 * in both, at most 1 MiB in all, and {@code immutable: true} freezes the data.
 */
public final class ConfigMapStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "ConfigMap", "configmaps",
      "configmap", true, ResourceDefinition.ALL_VERBS, List.of("cm"), List.of(), List.of());

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public List<String> stringMaps() {
    return List.of("data", "binaryData");
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    long total = 0;
    JsonNode data = obj.path("data");
    for (Map.Entry<String, JsonNode> e : data.properties()) {
      errors.addAll(DataKeys.validate("data[" + e.getKey() + "]", e.getKey()));
      total += e.getValue().asString("").getBytes(StandardCharsets.UTF_8).length;
    }
    for (Map.Entry<String, JsonNode> e : obj.path("binaryData").properties()) {
      errors.addAll(DataKeys.validate("binaryData[" + e.getKey() + "]", e.getKey()));
      if (data.has(e.getKey())) {
        errors.add(FieldError.invalid("binaryData[" + e.getKey() + "]", e.getKey(), "duplicate of key present in data"));
      }
      total += e.getValue().asString("").length() * 3L / 4;
    }
    if (total > DataKeys.MAX_TOTAL_BYTES) {
      errors.add(new FieldError(FieldError.Type.TOO_LONG, "", null,
          "must have at most " + DataKeys.MAX_TOTAL_BYTES + " bytes"));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    if (old.path("immutable").asBoolean(false)) {
      if (!obj.path("immutable").asBoolean(false)) {
        errors.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
      }
      if (!obj.path("data").equals(old.path("data")) || !obj.path("binaryData").equals(old.path("binaryData"))) {
        errors.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
      }
    }
    return errors;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(), TableColumn.of("Data", "string", "Number of data in configmap"),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    int n = obj.path("data").size() + obj.path("binaryData").size();
    return List.of(ObjectMeta.name(obj), n, ResourceStrategy.age(obj, now));
  }
}
