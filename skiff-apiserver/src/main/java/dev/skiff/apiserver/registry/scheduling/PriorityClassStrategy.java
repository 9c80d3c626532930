package dev.skiff.apiserver.registry.scheduling;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PriorityClasses ({@code pkg/registry/scheduling/priorityclass}): preemptionPolicy defaults to
 * PreemptLowerPriority; user classes stay at or below one billion and may not take the
 * {@code system-} prefix, which belongs to the two built-in classes the server creates at start.
 */
public final class PriorityClassStrategy implements ResourceStrategy {
  /** The largest value a user-defined class may have. */
  public static final long HIGHEST_USER_DEFINABLE = 1_000_000_000L;

  /** The built-in classes and their values, as upstream's {@code SystemPriorityClasses}. */
  public static final Map<String, Long> SYSTEM_CLASSES =
      Map.of("system-node-critical", 2_000_001_000L, "system-cluster-critical", 2_000_000_000L);

  private static final ResourceDefinition DEFINITION = new ResourceDefinition("scheduling.k8s.io", "v1",
      "PriorityClass", "priorityclasses", "priorityclass", false, ResourceDefinition.ALL_VERBS, List.of("pc"),
      List.of(), List.of());
  private static final List<String> POLICIES = List.of("Never", "PreemptLowerPriority");

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  /** The built-in class {@code name} as upstream creates it. */
  public static ObjectNode systemClass(String name) {
    ObjectNode pc = Json.object().put("apiVersion", "scheduling.k8s.io/v1").put("kind", "PriorityClass");
    pc.putObject("metadata").put("name", name);
    pc.put("value", SYSTEM_CLASSES.get(name)).put("description", name.equals("system-node-critical")
        ? "Used for system critical pods that must not be moved from their current node."
        : "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.");
    return pc;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    Json.putIfBlank(obj, "preemptionPolicy", "PreemptLowerPriority");
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    Json.putIfBlank(obj, "preemptionPolicy", "PreemptLowerPriority");
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    String name = ObjectMeta.name(obj);
    long value = obj.path("value").asLong(0);
    if (SYSTEM_CLASSES.containsKey(name)) {
      if (SYSTEM_CLASSES.get(name) != value) {
        errors.add(FieldError.forbidden("metadata.name", "name " + name + " is a reserved name for system priority class with value " + SYSTEM_CLASSES.get(name)));
      }
    } else if (name.startsWith("system-")) {
      errors.add(FieldError.forbidden("metadata.name", "priority class names with 'system-' prefix are reserved"));
    } else if (value > HIGHEST_USER_DEFINABLE) {
      errors.add(FieldError.forbidden("value", "maximum allowed value of a user defined priority is " + HIGHEST_USER_DEFINABLE));
    }
    String policy = obj.path("preemptionPolicy").asString("");
    if (!POLICIES.contains(policy)) {
      errors.add(FieldError.notSupported("preemptionPolicy", policy, POLICIES));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    if (!obj.path("value").equals(old.path("value"))) {
      errors.add(FieldError.forbidden("value", "may not be changed in an update."));
    }
    if (!obj.path("preemptionPolicy").equals(old.path("preemptionPolicy"))) {
      errors.add(FieldError.invalid("preemptionPolicy", obj.path("preemptionPolicy"), "field is immutable"));
    }
    return errors;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Value", "integer", "The value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
        TableColumn.of("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority."),
        TableColumn.ageColumn(),
        TableColumn.of("PreemptionPolicy", "string", "PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."));
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return List.of(ObjectMeta.name(obj), obj.path("value").asLong(0),
        String.valueOf(obj.path("globalDefault").asBoolean(false)), ResourceStrategy.age(obj, now),
        obj.path("preemptionPolicy").asString(""));
  }
}
