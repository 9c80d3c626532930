package dev.skiff.apiserver.apply;

import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The apply schema of the built-in kinds, known by field name: upstream's list map keys of the
 * core and apps types ({@code containers} by {@code name}, container and service {@code ports} by
 * port and {@code protocol}, {@code env} by {@code name}, ...), {@code finalizers} as a set, label
 * selectors and object references atomic, and the string maps ({@code labels}, {@code data},
 * {@code resources.limits}, ...) whose keys are not declared fields. Field names mean the same in
 * every built-in type Skiff serves, which is what makes a name-based schema good enough; a
 * generated per-type schema would replace it.
 *
 * @param name the field this node sits under ("" at the root)
 */
record BuiltInApplySchema(String name) implements ApplySchema {
  static final BuiltInApplySchema ROOT = new BuiltInApplySchema("");

  private static final JsonNode TCP = Json.nodes().stringNode("TCP");
  private static final Map<String, ListType> LISTS = Map.ofEntries(
      keyed("containers", "name"), keyed("initContainers", "name"), keyed("ephemeralContainers", "name"),
      keyed("env", "name"), keyed("volumes", "name"), keyed("imagePullSecrets", "name"),
      keyed("volumeMounts", "mountPath"), keyed("volumeDevices", "devicePath"), keyed("resourceClaims", "name"),
      keyed("conditions", "type"), keyed("hostAliases", "ip"), keyed("ownerReferences", "uid"),
      keyed("readinessGates", "conditionType"), keyed("addresses", "type"),
      keyed("topologySpreadConstraints", "topologyKey", "whenUnsatisfiable"),
      // container ports are keyed by containerPort, service ports by port; both with the protocol, TCP by default
      Map.entry("ports", new ListType.Map(List.of("containerPort", "port", "protocol"), Map.of("protocol", TCP))),
      Map.entry("finalizers", ListType.SET));
  /** Fields holding a struct or map owned as a whole (upstream's structType/mapType atomic). */
  private static final Set<String> ATOMIC = Set.of("selector", "labelSelector", "namespaceSelector", "targetRef",
      "involvedObject", "scaleTargetRef");
  /** Fields holding a map whose keys are data, not declared fields. */
  private static final Set<String> MAPS = Set.of("labels", "annotations", "data", "binaryData", "stringData",
      "nodeSelector", "limits", "requests", "capacity", "allocatable", "matchLabels", "parameters", "hard", "used",
      "overhead");

  private static Map.Entry<String, ListType> keyed(String field, String... keys) {
    return Map.entry(field, new ListType.Map(List.of(keys), Map.of()));
  }

  @Override
  public ApplySchema field(String field) {
    return new BuiltInApplySchema(field);
  }

  @Override
  public ApplySchema items() {
    // an item of a list is a struct under the list's name: its own fields are declared
    return new BuiltInApplySchema(name + "[]");
  }

  @Override
  public ListType listType() {
    return LISTS.getOrDefault(name, ListType.ATOMIC);
  }

  @Override
  public boolean atomic() {
    return ATOMIC.contains(name);
  }

  @Override
  public boolean declares(String field) {
    return !MAPS.contains(name);
  }
}
