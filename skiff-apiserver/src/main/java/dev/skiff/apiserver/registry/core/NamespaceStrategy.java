package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespaces ({@code pkg/registry/core/namespace}): cluster-scoped, DNS-1123 label names, the
 * {@code kubernetes} finalizer and phase Active on create, and the
 * {@code kubernetes.io/metadata.name} label that upstream keeps equal to the name.
 */
public final class NamespaceStrategy implements ResourceStrategy {
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "Namespace", "namespaces",
      "namespace", false, List.of("create", "delete", "get", "list", "patch", "update", "watch"), List.of("ns"),
      List.of(), List.of(ResourceDefinition.Subresource.status("Namespace"),
          new ResourceDefinition.Subresource("finalize", "Namespace", List.of("update"))));

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public boolean nameIsLabel() {
    return true;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.putObject("status").put("phase", "Active");
    ObjectNode spec = Json.objectAt(obj, "spec");
    spec.putArray("finalizers").add("kubernetes");
    setNameLabel(obj);
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    // status and spec.finalizers change only through their subresources
    obj.set("status", old.path("status").deepCopy());
    if (old.has("spec")) {
      obj.set("spec", old.get("spec").deepCopy());
    }
    setNameLabel(obj);
  }

  private static void setNameLabel(ObjectNode obj) {
    String name = ObjectMeta.name(obj);
    if (!name.isEmpty()) {
      Json.objectAt(ObjectMeta.of(obj), "labels").put(NAME_LABEL, name);
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return List.of();
  }

  @Override
  public Set<String> selectableFields() {
    return Set.of("status.phase");
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    return field.equals("status.phase") ? Json.text(obj.path("status"), "phase") : Optional.empty();
  }

  /** A namespace stays until its {@code spec.finalizers} ("kubernetes") are removed through {@code finalize}. */
  @Override
  public boolean holdsDeletion(JsonNode obj) {
    return !obj.path("spec").path("finalizers").isEmpty();
  }

  @Override
  public boolean returnDeletedObject() {
    return true;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(), TableColumn.of("Status", "string", "The status of the namespace"),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return List.of(ObjectMeta.name(obj), Json.text(obj.path("status"), "phase").orElse(""),
        ResourceStrategy.age(obj, now));
  }
}
