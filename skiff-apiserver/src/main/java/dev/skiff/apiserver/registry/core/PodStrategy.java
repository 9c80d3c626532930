package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import dev.skiff.apiserver.registry.ObjectLookup;
import dev.skiff.storage.Store;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pods ({@code pkg/registry/core/pod}, {@code pkg/apis/core/v1/defaults.go}): upstream's defaults,
 * status owned by the status subresource, a spec that updates may change only in images, active
 * deadline and added tolerations, graceful deletion of bound pods, and kubectl's columns.
 */
public final class PodStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "Pod", "pods", "pod", true,
      ResourceDefinition.ALL_VERBS, List.of("po"), List.of("all"), List.of(ResourceDefinition.Subresource.status("Pod"),
          new ResourceDefinition.Subresource("binding", "Binding", List.of("create")),
          new ResourceDefinition.Subresource("eviction", "policy", "v1", "Eviction", List.of("create"))));
  private static final Set<String> FIELDS = Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
      "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");

  private final PodPriority priority;
  private final PodServiceAccount serviceAccount;

  /**
   * @param store where the PriorityClasses and ServiceAccounts that new pods need are read
   * @param serviceAccountAdmission whether the ServiceAccount admission plugin runs on creates
   */
  public PodStrategy(Store store, boolean serviceAccountAdmission) {
    this(ObjectLookup.of(store), serviceAccountAdmission);
  }

  /**
   * @param lookup where the PriorityClasses and ServiceAccounts that new pods need are read (the
   *     watch caches, with the store behind them)
   * @param serviceAccountAdmission whether the ServiceAccount admission plugin runs on creates
   */
  public PodStrategy(ObjectLookup lookup, boolean serviceAccountAdmission) {
    this.priority = new PodPriority(lookup);
    this.serviceAccount = serviceAccountAdmission ? new PodServiceAccount(lookup) : null;
  }

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  /** Upstream's defaults of a decoded pod ({@code SetDefaults_Pod}, the deprecated serviceAccount's conversion). */
  @Override
  public void prepareForCreate(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    PodSpecDefaults.apply(spec);
    requestsFromLimits(spec);
    // serviceAccount is the deprecated alias of serviceAccountName: the new field wins, each fills the other
    Json.putIfBlank(spec, "serviceAccountName", spec.path("serviceAccount").asString(""));
    if (!spec.path("serviceAccountName").asString("").isEmpty()) {
      spec.put("serviceAccount", spec.get("serviceAccountName").asString());
    } else {
      spec.remove("serviceAccountName");
    }
    if (!spec.has("enableServiceLinks")) {
      spec.put("enableServiceLinks", true);
    }
  }

  /**
   * Upstream's admission plugins for pods (ServiceAccount, Priority, DefaultTolerationSeconds), then
   * its strategy's status of a new pod (Pending, the QoS class of the admitted resources).
   */
  @Override
  public void admitCreate(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    Json.putIfBlank(spec, "serviceAccountName", "default");
    spec.put("serviceAccount", spec.path("serviceAccountName").asString("default"));
    priority.admit(obj);
    if (serviceAccount != null) {
      serviceAccount.admit(obj);
    }
    defaultTolerations(spec);
    ObjectNode status = obj.putObject("status");
    status.put("phase", "Pending").put("qosClass", qosClass(spec));
  }

  /** As upstream's pod defaults: a resource with a limit but no request requests its limit. */
  private static void requestsFromLimits(ObjectNode spec) {
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : spec.path(list)) {
        if (c.path("resources").get("limits") instanceof ObjectNode limits && !limits.isEmpty()) {
          ObjectNode requests = Json.objectAt((ObjectNode) c.get("resources"), "requests");
          for (var limit : limits.properties()) {
            if (!requests.has(limit.getKey())) {
              requests.set(limit.getKey(), limit.getValue().deepCopy());
            }
          }
        }
      }
    }
  }

  /** Upstream's DefaultTolerationSeconds admission: tolerate not-ready and unreachable for 300s. */
  private static void defaultTolerations(ObjectNode spec) {
    ArrayNode tolerations = spec.path("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations");
    for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
      boolean present = false;
      for (JsonNode t : tolerations) {
        present |= t.path("key").asString("").equals(key) && t.path("effect").asString("NoExecute").equals("NoExecute");
      }
      if (!present) {
        tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
            .put("tolerationSeconds", 300);
      }
    }
  }

  private static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (JsonNode c : spec.path("containers")) {
      JsonNode limits = c.path("resources").path("limits");
      JsonNode requests = c.path("resources").path("requests");
      any |= !limits.isEmpty() || !requests.isEmpty();
      for (String r : List.of("cpu", "memory")) {
        if (!limits.has(r) || (requests.has(r) && !requests.get(r).equals(limits.get(r)))) {
          guaranteed = false;
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    obj.set("status", old.path("status").deepCopy());
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.nodeSelector");
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return PodSpecValidation.validate(obj.path("spec"), "spec");
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    if (!mutableMasked(obj.path("spec")).equals(mutableMasked(old.path("spec")))) {
      errors.add(FieldError.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,"
          + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing"
          + " tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
    }
    return errors;
  }

  /** The spec without the fields an update may change. */
  private static JsonNode mutableMasked(JsonNode spec) {
    ObjectNode s = spec.isObject() ? (ObjectNode) spec.deepCopy() : Json.object();
    s.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : s.path(list)) {
        if (c instanceof ObjectNode o) {
          o.remove("image");
        }
      }
    }
    return s;
  }

  @Override
  public long gracePeriodSeconds(JsonNode obj, Long requested) {
    // A pod that no node runs has nothing to stop: it goes at once, as upstream does.
    if (obj.path("spec").path("nodeName").asString("").isEmpty()) {
      return 0;
    }
    long grace = requested != null ? requested : obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    return Math.max(grace, 0);
  }

  @Override
  public boolean returnDeletedObject() {
    return true;
  }

  @Override
  public Set<String> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    String[] p = field.split("\\.", 2);
    JsonNode v = obj.path(p[0]).path(p[1]);
    return v.isMissingNode() ? Optional.of("") : Optional.of(v.isBoolean() ? String.valueOf(v.asBoolean()) : v.asString(""));
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
        TableColumn.of("Status", "string", "The aggregate status of the containers in this pod."),
        TableColumn.of("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        TableColumn.ageColumn(),
        TableColumn.wide("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
        TableColumn.wide("Node", "string", "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements."),
        TableColumn.wide("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled."),
        TableColumn.wide("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates"));
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    JsonNode status = obj.path("status");
    int total = spec.path("containers").size();
    int ready = 0;
    int restarts = 0;
    String reason = status.path("reason").asString(status.path("phase").asString(""));
    for (JsonNode cs : status.path("containerStatuses")) {
      restarts += cs.path("restartCount").asInt(0);
      String waiting = cs.path("state").path("waiting").path("reason").asString("");
      String terminated = cs.path("state").path("terminated").path("reason").asString("");
      if (!waiting.isEmpty()) {
        reason = waiting;
      } else if (!terminated.isEmpty()) {
        reason = terminated;
      } else if (cs.path("ready").asBoolean(false) && cs.path("state").has("running")) {
        ready++;
      }
    }
    if (ObjectMeta.isTerminating(obj) && !"NodeLost".equals(status.path("reason").asString(""))) {
      reason = "Terminating";
    }
    int gates = spec.path("readinessGates").size();
    return List.of(ObjectMeta.name(obj), ready + "/" + total, reason, restarts, ResourceStrategy.age(obj, now),
        orNone(status.path("podIP").asString("")), orNone(spec.path("nodeName").asString("")),
        orNone(status.path("nominatedNodeName").asString("")), gates == 0 ? "<none>" : "0/" + gates);
  }

  static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }
}
