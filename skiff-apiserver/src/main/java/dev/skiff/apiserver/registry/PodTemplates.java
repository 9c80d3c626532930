package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.core.PodSpecDefaults;
import dev.skiff.apiserver.registry.core.PodSpecValidation;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod template that controllers embed (StatefulSets, DaemonSets, Jobs, CronJobs,
 * ReplicationControllers): its defaults, its validation with the restart policies the owner
 * allows, a selector that must match its labels, and the wide CONTAINERS, IMAGES, SELECTOR columns.
 */
public final class PodTemplates {
  private PodTemplates() {}

  /** Applies pod defaults to {@code template.spec}. */
  public static void defaults(ObjectNode template) {
    PodSpecDefaults.apply(Json.objectAt(template, "spec"));
  }

  /**
   * Every error in {@code template} at {@code path}, whose restartPolicy must be one of
   * {@code restartPolicies} (upstream answers with NotSupported, listing them).
   */
  public static List<FieldError> validate(JsonNode template, String path, List<String> restartPolicies) {
    List<FieldError> errors = new ArrayList<>(PodSpecValidation.validate(template.path("spec"), path + ".spec"));
    String restart = template.path("spec").path("restartPolicy").asString("");
    String field = path + ".spec.restartPolicy";
    if (!restartPolicies.contains(restart)) {
      errors.removeIf(e -> e.field().equals(field));
      // Upstream's Job validation: the defaulted Always (or nothing) reads as a missing value.
      boolean missing = restart.isEmpty() || restart.equals("Always");
      errors.add(missing && restartPolicies.size() > 1
          ? FieldError.required(field, "valid values: " + String.join(", ", restartPolicies.stream().map(p -> "\"" + p + "\"").toList()))
          : FieldError.notSupported(field, restart, restartPolicies));
    }
    return errors;
  }

  /** A required {@code metav1.LabelSelector} at {@code path} that matches the template's labels. */
  public static List<FieldError> validateSelector(JsonNode selector, JsonNode template, String path, String templatePath) {
    if (selector.isMissingNode() || selector.isNull()
        || (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty())) {
      return List.of(FieldError.required(path, ""));
    }
    try {
      if (!LabelSelector.fromObject(selector).matches(ObjectMeta.labels(template))) {
        return List.of(FieldError.invalid(templatePath + ".metadata.labels",
            template.path("metadata").path("labels").deepCopy(), "`selector` does not match template `labels`"));
      }
    } catch (IllegalArgumentException e) {
      return List.of(FieldError.invalid(path + ".matchExpressions", selector.path("matchExpressions"), e.getMessage()));
    }
    return List.of();
  }

  /** {@code leading}, then the wide CONTAINERS and IMAGES columns, and SELECTOR when {@code selectorDescription} is not null. */
  public static List<TableColumn> columns(List<TableColumn> leading, String selectorDescription) {
    List<TableColumn> out = new ArrayList<>(leading);
    out.add(TableColumn.wide("Containers", "string", "Names of each container in the template."));
    out.add(TableColumn.wide("Images", "string", "Images referenced by each container in the template."));
    if (selectorDescription != null) {
      out.add(TableColumn.wide("Selector", "string", selectorDescription));
    }
    return out;
  }

  /** The CONTAINERS and IMAGES cells of {@code template}, and the SELECTOR cell when {@code selector} is not null. */
  public static List<Object> wideCells(JsonNode template, JsonNode selector) {
    List<String> names = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (JsonNode c : template.path("spec").path("containers")) {
      names.add(c.path("name").asString(""));
      images.add(c.path("image").asString(""));
    }
    List<Object> out = new ArrayList<>(List.of(String.join(",", names), String.join(",", images)));
    if (selector != null) {
      out.add(formatSelector(selector));
    }
    return out;
  }

  /** A {@code metav1.LabelSelector} as kubectl prints it, or a plain label map ({@code a=b,c=d}). */
  public static String formatSelector(JsonNode selector) {
    try {
      if (selector.has("matchLabels") || selector.has("matchExpressions") || selector.isEmpty()) {
        return LabelSelector.fromObject(selector).format();
      }
      List<String> parts = new ArrayList<>();
      selector.properties().stream().sorted(java.util.Map.Entry.comparingByKey())
          .forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asString("")));
      return String.join(",", parts);
    } catch (IllegalArgumentException e) {
      return "<error>";
    }
  }

  /** {@code 0} when absent: the int at {@code field} of {@code node}. */
  public static int count(JsonNode node, String field) {
    return node.path(field).asInt(0);
  }
}
