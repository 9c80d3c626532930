package dev.skiff.apiserver.registry.policy;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PodDisruptionBudgets ({@code pkg/registry/policy/poddisruptionbudget}): minAvailable or
 * maxUnavailable, not both, each a non-negative count or a percentage of at most 100%.
 */
public final class PodDisruptionBudgetStrategy extends SpecStatusStrategy {
  public PodDisruptionBudgetStrategy() {
    super(new ResourceDefinition("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets",
        "poddisruptionbudget", true, ResourceDefinition.ALL_VERBS, List.of("pdb"), List.of(),
        List.of(Subresource.status("PodDisruptionBudget"))));
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>();
    if (spec.has("minAvailable") && spec.has("maxUnavailable")) {
      errors.add(FieldError.invalid("spec", spec.deepCopy(), "minAvailable and maxUnavailable cannot be both set"));
    }
    for (String f : List.of("minAvailable", "maxUnavailable")) {
      JsonNode v = spec.path(f);
      errors.addAll(IntOrPercent.validate(v, "spec." + f));
    }
    return errors;
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector.matchLabels");
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Min Available", "string", "The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. \"28%\"."),
        TableColumn.of("Max Unavailable", "string", "The maximum number of pods that may be unavailable simultaneously.  This can be either an integer or a string specifying a percentage, e.g. \"28%\"."),
        TableColumn.of("Allowed Disruptions", "integer", "Number of pod disruptions that are currently allowed."),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    return List.of(ObjectMeta.name(obj), text(spec.path("minAvailable")), text(spec.path("maxUnavailable")),
        obj.path("status").path("disruptionsAllowed").asInt(0), ResourceStrategy.age(obj, now));
  }

  private static String text(JsonNode v) {
    return v.isMissingNode() || v.isNull() ? "N/A" : v.isNumber() ? String.valueOf(v.asInt()) : v.asString("");
  }
}
