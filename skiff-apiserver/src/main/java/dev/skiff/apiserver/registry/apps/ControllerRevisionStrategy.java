package dev.skiff.apiserver.registry.apps;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ControllerRevisions ({@code pkg/registry/apps/controllerrevision}): snapshots of a StatefulSet's
 * or DaemonSet's template; a non-negative revision and data that never change.
 */
public final class ControllerRevisionStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("apps", "v1", "ControllerRevision",
      "controllerrevisions", "controllerrevision", true, ResourceDefinition.ALL_VERBS, List.of(), List.of(), List.of());

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode revision = obj.path("revision");
    if (!revision.isIntegralNumber() || revision.asLong() < 0) {
      return List.of(FieldError.invalid("revision", revision.isMissingNode() ? "0" : revision.toString(),
          "must be greater than or equal to 0"));
    }
    return List.of();
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    if (!obj.path("data").equals(old.path("data"))) {
      errors.add(FieldError.invalid("data", obj.path("data").deepCopy(), "field is immutable"));
    }
    return errors;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Controller", "string", "Controller of the object"),
        TableColumn.of("Revision", "string", "Revision indicates the revision of the state represented by Data."),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    String controller = "<none>";
    for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        String apiVersion = ref.path("apiVersion").asString("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        controller = ref.path("kind").asString("").toLowerCase(java.util.Locale.ROOT)
            + (group.isEmpty() ? "" : "." + group) + "/" + ref.path("name").asString("");
      }
    }
    return List.of(ObjectMeta.name(obj), controller, obj.path("revision").asLong(0), ResourceStrategy.age(obj, now));
  }
}
