package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.apiserver.registry.ObjectLookup;
import dev.skiff.apiserver.registry.ParsedByRevision;
import dev.skiff.apiserver.registry.scheduling.PriorityClassStrategy;
import dev.skiff.storage.KeyValue;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's Priority admission for pod creates: {@code spec.priority} and
 * {@code spec.preemptionPolicy} come from the PriorityClass that {@code spec.priorityClassName}
 * names, or from the global default class (the lowest-valued one marked {@code globalDefault}), or
 * are 0 and {@code PreemptLowerPriority}. A named class is read from the watch cache or, when the
 * cache does not have it yet, from the store, so a class created a moment ago is seen; the global
 * default is looked for in the cache, as upstream's admission asks its lister.
 */
final class PodPriority {
  private final ObjectLookup lookup;
  private final ObjectCodec classes = new ObjectCodec(new PriorityClassStrategy().definition());
  /** Every create reads every class (for the global default): each is parsed once per revision. */
  private final ParsedByRevision parsed = new ParsedByRevision();

  PodPriority(ObjectLookup lookup) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  /**
   * Sets the pod's priority from its class.
   *
   * @throws StatusError 403 when the named class does not exist, or when the pod states a priority
   *     other than its class's
   */
  void admit(ObjectNode pod) {
    ObjectNode spec = Json.objectAt(pod, "spec");
    String className = spec.path("priorityClassName").asString("");
    Optional<JsonNode> priorityClass = className.isEmpty() ? globalDefault() : find(className);
    if (!className.isEmpty() && priorityClass.isEmpty()) {
      throw forbidden(pod, "no PriorityClass with name " + className + " was found");
    }
    long value = priorityClass.map(c -> c.path("value").asLong(0)).orElse(0L);
    if (spec.has("priority") && !spec.get("priority").isNull() && spec.get("priority").asLong() != value) {
      throw forbidden(pod, "the integer value of priority (%d) must not be provided in pod spec; priority admission"
          .formatted(spec.get("priority").asLong()) + " controller computed %d from the given PriorityClass name"
          .formatted(value));
    }
    priorityClass.ifPresent(c -> spec.put("priorityClassName", c.path("metadata").path("name").asString("")));
    spec.put("priority", value);
    Json.putIfBlank(spec, "preemptionPolicy", priorityClass
        .map(c -> c.path("preemptionPolicy").asString("PreemptLowerPriority")).orElse("PreemptLowerPriority"));
  }

  private Optional<JsonNode> find(String name) {
    return lookup.get(classes, classes.key("", name)).map(parsed::tree);
  }

  private Optional<JsonNode> globalDefault() {
    JsonNode lowest = null;
    for (KeyValue kv : lookup.list(classes, classes.prefix(""))) {
      JsonNode c = parsed.tree(kv);
      if (c.path("globalDefault").asBoolean(false)
          && (lowest == null || c.path("value").asLong() < lowest.path("value").asLong())) {
        lowest = c;
      }
    }
    return Optional.ofNullable(lowest);
  }

  private static StatusError forbidden(ObjectNode pod, String why) {
    String name = pod.path("metadata").path("name").asString("");
    return new StatusError(403, "Forbidden", "pods \"%s\" is forbidden: %s".formatted(name, why), null);
  }
}
