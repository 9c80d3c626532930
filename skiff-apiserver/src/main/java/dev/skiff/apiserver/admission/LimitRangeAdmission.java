package dev.skiff.apiserver.admission;

import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.quota.Amount;
import dev.skiff.storage.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's LimitRanger admission ({@code plugin/pkg/admission/limitranger}) for creates of pods
 * and claims. Mutation: containers without a request or limit get the defaults of the namespace's
 * {@code Container} limits (a limit with no request first becomes the request, as the API's own
 * defaulting does), and the pod is annotated with what was set. Validation: min, max and
 * maxLimitRequestRatio per Container and per Pod, min and max storage per PersistentVolumeClaim,
 * refused with upstream's messages ({@code maximum cpu usage per Container is 500m, but limit is 1}).
 * Thread-safe.
 */
public final class LimitRangeAdmission implements Admission {
  static final String ANNOTATION = "kubernetes.io/limit-ranger";
  private final Supplier<GenericStore> ranges;

  public LimitRangeAdmission(Map<ResourceDefinition, GenericStore> stores) {
    Objects.requireNonNull(stores, "stores");
    this.ranges = TypedObjects.coreStoreOnce(stores, "limitranges");
  }

  @Override
  public void mutate(String namespace, ResourceDefinition def, ObjectNode obj) {
    if (!isCore(def, "pods")) {
      return;
    }
    List<String> applied = new ArrayList<>();
    for (JsonNode item : limits(namespace, "Container")) {
      LimitItem limit = LimitItem.of(item);
      for (String field : List.of("initContainers", "containers")) {
        for (JsonNode c : obj.path("spec").path(field)) {
          applied.addAll(applyDefaults(limit, (ObjectNode) c));
        }
      }
    }
    if (!applied.isEmpty()) {
      ((ObjectNode) obj.withObject("metadata")).withObject("annotations")
          .put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", applied));
    }
  }

  @Override
  public void validate(String namespace, ResourceDefinition def, ObjectNode obj, boolean dryRun) {
    List<String> errors = new ArrayList<>();
    if (isCore(def, "pods")) {
      for (JsonNode item : limits(namespace, "Container")) {
        LimitItem limit = LimitItem.of(item);
        for (String field : List.of("initContainers", "containers")) {
          for (JsonNode c : obj.path("spec").path(field)) {
            errors.addAll(limit.check("Container", list(c.path("resources").path("requests")),
                list(c.path("resources").path("limits"))));
          }
        }
      }
      for (JsonNode item : limits(namespace, "Pod")) {
        errors.addAll(LimitItem.of(item).check("Pod", podTotal(obj, "requests"), podTotal(obj, "limits")));
      }
    } else if (isCore(def, "persistentvolumeclaims")) {
      for (JsonNode item : limits(namespace, "PersistentVolumeClaim")) {
        errors.addAll(LimitItem.of(item).checkClaim(list(obj.path("spec").path("resources").path("requests"))));
      }
    } else {
      return;
    }
    if (!errors.isEmpty()) {
      // upstream's aggregate error: one message bare, several in brackets
      throw ResourceQuotaAdmission.forbidden(def, obj,
          errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]");
    }
  }

  private static boolean isCore(ResourceDefinition def, String plural) {
    return def.group().isEmpty() && def.plural().equals(plural);
  }

  /** The limit items of {@code type} of every LimitRange in {@code namespace}. */
  private List<JsonNode> limits(String namespace, String type) {
    GenericStore ranges = this.ranges.get();
    List<JsonNode> items = new ArrayList<>();
    for (KeyValue kv : TypedObjects.cachedList(ranges, namespace)) {
      for (JsonNode item : ranges.codec().decode(kv).path("spec").path("limits")) {
        if (type.equals(item.path("type").asString(""))) {
          items.add(item);
        }
      }
    }
    return items;
  }

  /** Sets missing requests and limits of one container; returns what it set, upstream's annotation text. */
  private static List<String> applyDefaults(LimitItem limit, ObjectNode container) {
    ObjectNode resources = container.withObject("resources");
    ObjectNode requests = resources.withObject("requests");
    ObjectNode limits = resources.withObject("limits");
    // the API's defaulting makes a stated limit the request, before admission sees the pod
    limits.properties().forEach(e -> {
      if (!requests.has(e.getKey())) {
        requests.set(e.getKey(), e.getValue().deepCopy());
      }
    });
    TreeSet<String> setRequests = new TreeSet<>();
    TreeSet<String> setLimits = new TreeSet<>();
    limit.defaultRequest().forEach((k, v) -> {
      if (!requests.has(k)) {
        requests.put(k, v.toString());
        setRequests.add(k);
      }
    });
    limit.defaultLimit().forEach((k, v) -> {
      if (!limits.has(k)) {
        limits.put(k, v.toString());
        setLimits.add(k);
      }
    });
    if (requests.isEmpty()) {
      resources.remove("requests");
    }
    if (limits.isEmpty()) {
      resources.remove("limits");
    }
    String name = container.path("name").asString("");
    List<String> applied = new ArrayList<>();
    if (!setRequests.isEmpty()) {
      applied.add(String.join(", ", setRequests) + " request for container " + name);
    }
    if (!setLimits.isEmpty()) {
      applied.add(String.join(", ", setLimits) + " limit for container " + name);
    }
    return applied;
  }

  /** Upstream's pod totals: the containers' sum, at least each init container's. */
  private static Map<String, Amount> podTotal(JsonNode pod, String kind) {
    Map<String, Amount> total = new TreeMap<>();
    for (JsonNode c : pod.path("spec").path("containers")) {
      list(c.path("resources").path(kind)).forEach((k, v) -> total.merge(k, v, Amount::plus));
    }
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      list(c.path("resources").path(kind)).forEach((k, v) -> total.merge(k, v, Amount::max));
    }
    return total;
  }

  static Map<String, Amount> list(JsonNode resources) {
    Map<String, Amount> m = new LinkedHashMap<>();
    resources.properties().forEach(e -> {
      try {
        m.put(e.getKey(), Amount.parse(e.getValue().asString()));
      } catch (IllegalArgumentException | ArithmeticException invalid) {
        // not a quantity: the object's validation reports it, not admission
      }
    });
    return m;
  }
}
