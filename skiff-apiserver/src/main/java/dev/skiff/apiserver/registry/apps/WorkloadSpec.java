package dev.skiff.apiserver.registry.apps;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.TableColumn;
import dev.skiff.apiserver.registry.core.PodSpecDefaults;
import dev.skiff.apiserver.registry.core.PodSpecValidation;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Deployments and ReplicaSets share (upstream's {@code ValidatePodTemplateSpecForReplicaSet}
 * and friends): replicas default to 1, a selector that matches the template's labels, a pod
 * template with pod defaults and restartPolicy Always, a selector that never changes, and a
 * generation that counts spec changes.
 */
final class WorkloadSpec {
  private WorkloadSpec() {}

  static void defaults(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    if (!spec.has("replicas") || spec.get("replicas").isNull()) {
      spec.put("replicas", 1);
    }
    ObjectNode template = Json.objectAt(spec, "template");
    PodSpecDefaults.apply(Json.objectAt(template, "spec"));
  }

  static void prepareForCreate(ObjectNode obj) {
    obj.putObject("status");
    ObjectMeta.of(obj).put("generation", 1);
    defaults(obj);
  }

  /** Keeps the status and counts a generation when the spec (or, for Deployments, annotations) changed. */
  static void prepareForUpdate(ObjectNode obj, ObjectNode old, boolean annotationsCount) {
    obj.set("status", old.path("status").deepCopy());
    defaults(obj);
    long generation = old.path("metadata").path("generation").asLong(1);
    boolean changed = !obj.path("spec").equals(old.path("spec")) || annotationsCount
        && !obj.path("metadata").path("annotations").equals(old.path("metadata").path("annotations"));
    ObjectMeta.of(obj).put("generation", changed ? generation + 1 : generation);
  }

  static List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = obj.path("spec");
    JsonNode replicas = spec.path("replicas");
    if (!replicas.isNumber() || replicas.asLong() < 0) {
      errors.add(FieldError.invalid("spec.replicas", replicas, "must be greater than or equal to 0"));
    }
    JsonNode selector = spec.path("selector");
    if (selector.isMissingNode() || (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty())) {
      errors.add(FieldError.required("spec.selector", ""));
    } else {
      try {
        LabelSelector parsed = LabelSelector.fromObject(selector);
        if (!parsed.matches(ObjectMeta.labels(spec.path("template")))) {
          errors.add(FieldError.invalid("spec.template.metadata.labels", spec.path("template").path("metadata")
              .path("labels").deepCopy(), "`selector` does not match template `labels`"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(FieldError.invalid("spec.selector.matchExpressions", selector.path("matchExpressions"), e.getMessage()));
      }
    }
    JsonNode podSpec = spec.path("template").path("spec");
    errors.addAll(PodSpecValidation.validate(podSpec, "spec.template.spec"));
    String restart = podSpec.path("restartPolicy").asString("");
    if (!restart.equals("Always") && errors.stream().noneMatch(e -> e.field().equals("spec.template.spec.restartPolicy"))) {
      errors.add(FieldError.notSupported("spec.template.spec.restartPolicy", restart, List.of("Always")));
    }
    return errors;
  }

  static List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    if (!obj.path("spec").path("selector").equals(old.path("spec").path("selector"))) {
      errors.add(FieldError.invalid("spec.selector", obj.path("spec").path("selector").deepCopy(), "field is immutable"));
    }
    return errors;
  }

  /** {@code leading} followed by the wide CONTAINERS, IMAGES and SELECTOR columns. */
  static List<TableColumn> columns(List<TableColumn> leading, String selectorDescription) {
    List<TableColumn> out = new ArrayList<>(leading);
    out.add(TableColumn.wide("Containers", "string", "Names of each container in the template."));
    out.add(TableColumn.wide("Images", "string", "Images referenced by each container in the template."));
    out.add(TableColumn.wide("Selector", "string", selectorDescription));
    return out;
  }

  /** The CONTAINERS, IMAGES and SELECTOR cells of the wide table. */
  static List<Object> wideCells(JsonNode obj) {
    List<String> names = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (JsonNode c : obj.path("spec").path("template").path("spec").path("containers")) {
      names.add(c.path("name").asString(""));
      images.add(c.path("image").asString(""));
    }
    String selector;
    try {
      selector = LabelSelector.fromObject(obj.path("spec").path("selector")).format();
    } catch (IllegalArgumentException e) {
      selector = "<error>";
    }
    return List.of(String.join(",", names), String.join(",", images), selector);
  }
}
