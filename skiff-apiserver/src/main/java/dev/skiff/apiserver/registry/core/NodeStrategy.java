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
 * Nodes ({@code pkg/registry/core/node}): cluster-scoped, status owned by the kubelet through the
 * status subresource, taints checked, and kubectl's columns (status from the Ready condition, roles
 * from {@code node-role.kubernetes.io/*} labels).
 */
public final class NodeStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "Node", "nodes", "node",
      false, ResourceDefinition.ALL_VERBS, List.of("no"), List.of(), List.of(ResourceDefinition.Subresource.status("Node")));
  private static final List<String> EFFECTS = List.of("NoExecute", "NoSchedule", "PreferNoSchedule");
  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";

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
    int i = 0;
    for (JsonNode t : obj.path("spec").path("taints")) {
      String path = "spec.taints[" + i++ + "]";
      if (t.path("key").asString("").isEmpty()) {
        errors.add(FieldError.required(path + ".key", ""));
      }
      String effect = t.path("effect").asString("");
      if (!EFFECTS.contains(effect)) {
        errors.add(FieldError.notSupported(path + ".effect", effect, EFFECTS));
      }
    }
    return errors;
  }

  @Override
  public Set<String> selectableFields() {
    return Set.of("spec.unschedulable");
  }

  @Override
  public Optional<String> fieldValue(JsonNode obj, String field) {
    return Optional.of(String.valueOf(obj.path("spec").path("unschedulable").asBoolean(false)));
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
    String ready = "Unknown";
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (c.path("type").asString("").equals("Ready")) {
        ready = c.path("status").asString("").equals("True") ? "Ready" : "NotReady";
      }
    }
    String status = obj.path("spec").path("unschedulable").asBoolean(false) ? ready + ",SchedulingDisabled" : ready;
    Set<String> roles = new TreeSet<>();
    for (Map.Entry<String, String> l : ObjectMeta.labels(obj).entrySet()) {
      if (l.getKey().startsWith(ROLE_PREFIX) && l.getKey().length() > ROLE_PREFIX.length()) {
        roles.add(l.getKey().substring(ROLE_PREFIX.length()));
      } else if (l.getKey().equals("kubernetes.io/role") && !l.getValue().isEmpty()) {
        roles.add(l.getValue());
      }
    }
    JsonNode info = obj.path("status").path("nodeInfo");
    return List.of(ObjectMeta.name(obj), status, roles.isEmpty() ? "<none>" : String.join(",", roles),
        ResourceStrategy.age(obj, now), info.path("kubeletVersion").asString(""), address(obj, "InternalIP"),
        address(obj, "ExternalIP"), orUnknown(info.path("osImage").asString("")),
        orUnknown(info.path("kernelVersion").asString("")), orUnknown(info.path("containerRuntimeVersion").asString("")));
  }

  private static String address(JsonNode obj, String type) {
    for (JsonNode a : obj.path("status").path("addresses")) {
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
