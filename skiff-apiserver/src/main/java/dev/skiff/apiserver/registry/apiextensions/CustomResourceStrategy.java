package dev.skiff.apiserver.registry.apiextensions;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.HumanDuration;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.ScalePaths;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of one served version of a custom resource ({@code apiextensions-apiserver/pkg/registry/customresource}):
 * defaults from the version's schema, unknown fields pruned, the schema's validation, a status
 * that only the status subresource writes when the CRD enables it, a generation that counts
 * changes outside metadata (and status), and the additionalPrinterColumns as Table columns.
 *
 * @param definition the served resource
 * @param schema the version's structural schema
 * @param printerColumns the version's additionalPrinterColumns
 * @param scalePaths the version's scale subresource paths (unused without one)
 */
public record CustomResourceStrategy(ResourceDefinition definition, StructuralSchema schema, List<JsonNode> printerColumns,
    ScalePaths scalePaths) implements ResourceStrategy {

  public CustomResourceStrategy {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(schema, "schema");
    printerColumns = List.copyOf(printerColumns);
    Objects.requireNonNull(scalePaths, "scalePaths");
  }

  private boolean hasStatus() {
    return definition.subresources().stream().anyMatch(s -> s.name().equals("status"));
  }

  private void normalize(ObjectNode obj) {
    schema.prune(obj);
    schema.applyDefaults(obj);
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    if (hasStatus()) {
      obj.remove("status");
    }
    ObjectMeta.of(obj).put("generation", 1);
    normalize(obj);
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    if (hasStatus()) {
      SpecStatusStrategy.keepStatus(obj, old);
    }
    normalize(obj);
    long generation = old.path("metadata").path("generation").asLong(1);
    List<String> ignored = hasStatus() ? List.of("metadata", "status", "apiVersion", "kind") : List.of("metadata", "apiVersion", "kind");
    boolean changed = !obj.deepCopy().without(ignored).equals(old.deepCopy().without(ignored));
    ObjectMeta.of(obj).put("generation", changed ? generation + 1 : generation);
  }

  @Override
  public List<String> unknownFields(JsonNode body) {
    return schema.unknownFields(body);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return schema.validate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return schema.validate(obj);
  }

  @Override
  public List<TableColumn> columns() {
    List<TableColumn> out = new ArrayList<>(List.of(TableColumn.nameColumn()));
    if (printerColumns.isEmpty()) {
      out.add(TableColumn.ageColumn());
      return out;
    }
    for (JsonNode c : printerColumns) {
      out.add(new TableColumn(c.path("name").asString(""), c.path("type").asString("string"),
          c.path("format").asString(""), c.path("description").asString(""), c.path("priority").asInt(0)));
    }
    return out;
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    List<Object> out = new ArrayList<>(List.of(ObjectMeta.name(obj)));
    if (printerColumns.isEmpty()) {
      out.add(ResourceStrategy.age(obj, now));
      return out;
    }
    for (JsonNode c : printerColumns) {
      out.add(cell(c, obj, now));
    }
    return out;
  }

  private static Object cell(JsonNode column, JsonNode obj, Instant now) {
    JsonNode v;
    try {
      v = SimpleJsonPath.parse(column.path("jsonPath").asString("")).find(obj);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    String type = column.path("type").asString("string");
    if (type.equals("date") && v.isString()) {
      try {
        return HumanDuration.format(Duration.between(ObjectMeta.parseTime(v.asString()), now));
      } catch (RuntimeException e) {
        return v.asString();
      }
    }
    if (type.equals("integer") && v.isIntegralNumber()) {
      return v.asLong();
    }
    return v.isValueNode() ? v.asString() : Json.writeString(v);
  }
}
