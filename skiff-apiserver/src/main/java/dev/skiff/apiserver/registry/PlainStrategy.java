package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of a resource that the server only stores (ServiceAccounts, Endpoints, RBAC
 * objects...): generic metadata rules, optionally a status kept from updates, and its own table
 * columns after NAME. Resources with defaults or validation of their own get a class of their own.
 *
 * @param definition the resource
 * @param columns the columns after NAME (AGE included where upstream shows it)
 * @param cells the cells for those columns
 * @param statusSubresource whether status changes only through the status subresource
 */
public record PlainStrategy(
    ResourceDefinition definition,
    List<TableColumn> columns,
    BiFunction<JsonNode, Instant, List<Object>> cells,
    boolean statusSubresource) implements ResourceStrategy {

  public PlainStrategy {
    Objects.requireNonNull(definition, "definition");
    columns = List.copyOf(columns);
    Objects.requireNonNull(cells, "cells");
  }

  /** A stored-only resource printed with NAME and AGE. */
  public static PlainStrategy of(ResourceDefinition definition) {
    return new PlainStrategy(definition, List.of(TableColumn.ageColumn()),
        (obj, now) -> List.of(ResourceStrategy.age(obj, now)), false);
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    if (statusSubresource) {
      obj.remove("status");
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    if (statusSubresource) {
      if (old.has("status")) {
        obj.set("status", old.get("status").deepCopy());
      } else {
        obj.remove("status");
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return List.of();
  }

  @Override
  public List<TableColumn> columns() {
    List<TableColumn> all = new ArrayList<>();
    all.add(TableColumn.nameColumn());
    all.addAll(columns);
    return all;
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    List<Object> all = new ArrayList<>();
    all.add(ObjectMeta.name(obj));
    all.addAll(cells.apply(obj, now));
    return all;
  }
}
