package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Nodes ({@code pkg/registry/core/node}): cluster-scoped; unlike most kinds a create may carry the
 * status (the kubelet registers a node with its capacity and conditions in one request), while an
 * update keeps the stored status, which changes only through {@code nodes/status}. Field
 * selectors on {@code spec.unschedulable}; kubectl's columns NAME STATUS ROLES AGE VERSION and the
 * wide ones, as upstream's {@code printNode}.
 */
public final class NodeStrategy implements ResourceStrategy {
  private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "Node", "nodes", "node", false,
      ResourceDefinition.ALL_VERBS, List.of("no"), List.of(), List.of(ResourceDefinition.Subresource.status("Node")));
  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";
  private static final String ROLE_LABEL = "kubernetes.io/role";

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    obj.set("status", old.path("status").deepCopy());
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = obj.path("spec");
    String cidr = spec.path("podCIDR").asString("");
    if (!cidr.isEmpty() && !cidr.matches("[0-9a-fA-F:.]+/[0-9]{1,3}")) {
      errors.add(FieldError.invalid("spec.podCIDR", spec.get("podCIDR"), "must be a valid CIDR"));
    }
    JsonNode cidrs = spec.path("podCIDRs");
    if (!cidr.isEmpty() && cidrs.size() > 0 && !cidrs.get(0).asString("").equals(cidr)) {
      errors.add(FieldError.invalid("spec.podCIDRs", cidrs, "the first entry must match spec.podCIDR"));
    }
    int i = 0;
    for (JsonNode t : spec.path("taints")) {
      String path = "spec.taints[" + i++ + "]";
      if (t.path("key").asString("").isEmpty()) {
        errors.add(FieldError.required(path + ".key", ""));
      }
      String effect = t.path("effect").asString("");
      if (!TAINT_EFFECTS.contains(effect)) {
        errors.add(FieldError.notSupported(path + ".effect", effect, TAINT_EFFECTS));
      }
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    // upstream: podCIDR may be set once, never changed
    String was = old.path("spec").path("podCIDR").asString("");
    String now = obj.path("spec").path("podCIDR").asString("");
    if (!was.isEmpty() && !was.equals(now)) {
      errors.add(FieldError.forbidden("spec.podCIDR", "node updates may not change podCIDR except from \"\" to valid"));
    }
    return errors;
  }

  @Override
  public Set<String> selectableFields() {
    return Set.of("spec.unschedulable");
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    return field.equals("spec.unschedulable")
        ? Optional.of(String.valueOf(obj.path("spec").path("unschedulable").asBoolean(false)))
        : Optional.empty();
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Status", "string", "The status of the node"),
        TableColumn.of("Roles", "string", "The roles of the node"),
        TableColumn.ageColumn(),
        TableColumn.of("Version", "string", "Kubelet Version reported by the node."),
        TableColumn.wide("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available."),
        TableColumn.wide("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available."),
        TableColumn.wide("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        TableColumn.wide("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        TableColumn.wide("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."));
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode status = obj.path("status");
    JsonNode info = status.path("nodeInfo");
    return List.of(ObjectMeta.name(obj), statusCell(obj), roles(ObjectMeta.labels(obj)), ResourceStrategy.age(obj, now),
        info.path("kubeletVersion").asString(""), address(status, "InternalIP"), address(status, "ExternalIP"),
        orUnknown(info.path("osImage").asString("")), orUnknown(info.path("kernelVersion").asString("")),
        orUnknown(info.path("containerRuntimeVersion").asString("")));
  }

  /** Ready, NotReady or Unknown from the Ready condition, then SchedulingDisabled when cordoned. */
  private static String statusCell(JsonNode node) {
    List<String> parts = new ArrayList<>(2);
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asString("").equals("Ready")) {
        parts.add(c.path("status").asString("").equals("True") ? "Ready" : "NotReady");
        break;
      }
    }
    if (parts.isEmpty()) {
      parts.add("Unknown");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      parts.add("SchedulingDisabled");
    }
    return String.join(",", parts);
  }

  private static String roles(Map<String, String> labels) {
    TreeSet<String> roles = new TreeSet<>();
    labels.forEach((k, v) -> {
      if (k.startsWith(ROLE_PREFIX) && k.length() > ROLE_PREFIX.length()) {
        roles.add(k.substring(ROLE_PREFIX.length()));
      } else if (k.equals(ROLE_LABEL) && !v.isEmpty()) {
        roles.add(v);
      }
    });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode status, String type) {
    for (JsonNode a : status.path("addresses")) {
      if (a.path("type").asString("").equals(type)) {
        return a.path("address").asString("");
      }
    }
    return "<none>";
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }
}
