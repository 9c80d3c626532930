package dev.skiff.apiserver.registry.core;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services ({@code pkg/registry/core/service}): defaults, a cluster IP and node ports allocated on
 * create and kept on update, port validation, and kubectl's columns.
 */
public final class ServiceStrategy implements ResourceStrategy {
  private static final ResourceDefinition DEFINITION = new ResourceDefinition("", "v1", "Service", "services",
      "service", true, ResourceDefinition.ALL_VERBS, List.of("svc"), List.of("all"),
      List.of(ResourceDefinition.Subresource.status("Service")));
  private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

  private final ServiceAddresses addresses;

  public ServiceStrategy(ServiceAddresses addresses) {
    this.addresses = Objects.requireNonNull(addresses, "addresses");
  }

  @Override
  public ResourceDefinition definition() {
    return DEFINITION;
  }

  @Override
  public boolean nameIsLabel() {
    return true;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    ObjectNode spec = Json.objectAt(obj, "spec");
    obj.putObject("status").putObject("loadBalancer");
    defaults(spec);
    String type = spec.path("type").asString("");
    if (type.equals("ExternalName")) {
      return;
    }
    String ip = spec.path("clusterIP").asString("");
    if (ip.isEmpty()) {
      ip = addresses.allocateClusterIp();
    } else if (!ip.equals("None")) {
      if (!ServiceAddresses.inRange(ip)) {
        throw invalid(obj, FieldError.invalid("spec.clusterIPs", ip,
            "failed to allocate IP " + ip + ": provided IP is not in the valid range. The range of valid IPs is 10.43.0.0/16"));
      }
      if (addresses.clusterIpInUse(ip)) {
        throw invalid(obj, FieldError.invalid("spec.clusterIPs", ip,
            "failed to allocate IP " + ip + ": provided IP is already allocated"));
      }
    }
    spec.put("clusterIP", ip);
    spec.putArray("clusterIPs").add(ip);
    if (!ip.equals("None") || !spec.has("ipFamilies")) {
      spec.putArray("ipFamilies").add("IPv4");
    }
    Json.putIfBlank(spec, "ipFamilyPolicy", "SingleStack");
    Json.putIfBlank(spec, "internalTrafficPolicy", "Cluster");
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      Json.putIfBlank(spec, "externalTrafficPolicy", "Cluster");
      Set<Integer> taken = new HashSet<>();
      for (JsonNode p : spec.path("ports")) {
        if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0) {
          int n = addresses.allocateNodePort(taken);
          taken.add(n);
          port.put("nodePort", n);
        }
      }
      if (type.equals("LoadBalancer") && !spec.has("allocateLoadBalancerNodePorts")) {
        spec.put("allocateLoadBalancerNodePorts", true);
      }
    }
  }

  private static StatusError invalid(ObjectNode obj, FieldError e) {
    return StatusError.invalid("", "Service", ObjectMeta.name(obj), List.of(e));
  }

  private static void defaults(ObjectNode spec) {
    Json.putIfBlank(spec, "type", "ClusterIP");
    Json.putIfBlank(spec, "sessionAffinity", "None");
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        Json.putIfBlank(port, "protocol", "TCP");
        if (!port.has("targetPort") || port.get("targetPort").isNull()) {
          port.set("targetPort", port.path("port").deepCopy());
        }
      }
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    obj.set("status", old.path("status").deepCopy());
    ObjectNode spec = Json.objectAt(obj, "spec");
    JsonNode oldSpec = old.path("spec");
    defaults(spec);
    // Allocated addresses stay unless the client names them: kubectl apply and edit leave them out.
    for (String f : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy")) {
      if (!spec.has(f) && oldSpec.has(f)) {
        spec.set(f, oldSpec.get(f).deepCopy());
      }
    }
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0) {
        for (JsonNode o : oldSpec.path("ports")) {
          if (o.path("port").equals(port.path("port")) && o.path("protocol").equals(port.path("protocol"))
              && o.has("nodePort")) {
            port.set("nodePort", o.get("nodePort").deepCopy());
          }
        }
      }
    }
  }

  @Override
  public List<String> stringMaps() {
    return List.of("spec.selector");
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = obj.path("spec");
    String type = spec.path("type").asString("");
    if (!TYPES.contains(type)) {
      errors.add(FieldError.notSupported("spec.type", type, TYPES));
    }
    JsonNode ports = spec.path("ports");
    boolean headless = spec.path("clusterIP").asString("").equals("None");
    if (ports.isEmpty() && !type.equals("ExternalName") && !headless) {
      errors.add(FieldError.required("spec.ports", ""));
    }
    if (type.equals("ExternalName") && spec.path("externalName").asString("").isEmpty()) {
      errors.add(FieldError.required("spec.externalName", ""));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode p = ports.get(i);
      String path = "spec.ports[" + i + "]";
      String name = p.path("name").asString("");
      if (ports.size() > 1 && name.isEmpty()) {
        errors.add(FieldError.required(path + ".name", ""));
      } else if (!name.isEmpty() && !names.add(name)) {
        errors.add(FieldError.duplicate(path + ".name", name));
      }
      int port = p.path("port").asInt(0);
      if (port < 1 || port > 65535) {
        errors.add(FieldError.invalid(path + ".port", p.path("port"), "must be between 1 and 65535, inclusive"));
      }
      String protocol = p.path("protocol").asString("");
      if (!PROTOCOLS.contains(protocol)) {
        errors.add(FieldError.notSupported(path + ".protocol", protocol, PROTOCOLS));
      }
      int nodePort = p.path("nodePort").asInt(0);
      if (nodePort != 0 && (nodePort < ServiceAddresses.NODE_PORT_MIN || nodePort > ServiceAddresses.NODE_PORT_MAX)) {
        errors.add(FieldError.invalid(path + ".nodePort", p.path("nodePort"),
            "provided port is not in the valid range. The range of valid ports is 30000-32767"));
      }
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    String ip = obj.path("spec").path("clusterIP").asString("");
    String oldIp = old.path("spec").path("clusterIP").asString("");
    if (!oldIp.isEmpty() && !ip.equals(oldIp) && !obj.path("spec").path("type").asString("").equals("ExternalName")) {
      errors.add(FieldError.invalid("spec.clusterIPs[0]", ip, "may not change once set"));
    }
    return errors;
  }

  @Override
  public boolean returnDeletedObject() {
    return true;
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Type", "string", "type determines how the Service is exposed."),
        TableColumn.of("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly."),
        TableColumn.of("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        TableColumn.of("Port(s)", "string", "The list of ports that are exposed by this service."),
        TableColumn.ageColumn(),
        TableColumn.wide("Selector", "string", "Route service traffic to pods with label keys and values matching this selector."));
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    String type = spec.path("type").asString("");
    List<String> ports = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      int nodePort = p.path("nodePort").asInt(0);
      ports.add(p.path("port").asInt() + (nodePort > 0 ? ":" + nodePort : "") + "/" + p.path("protocol").asString("TCP"));
    }
    Map<String, String> selector = new TreeMap<>();
    spec.path("selector").properties().forEach(e -> selector.put(e.getKey(), e.getValue().asString("")));
    List<String> sel = new ArrayList<>();
    selector.forEach((k, v) -> sel.add(k + "=" + v));
    return List.of(ObjectMeta.name(obj), type, PodStrategy.orNone(spec.path("clusterIP").asString("")),
        externalIp(obj, type), ports.isEmpty() ? "<none>" : String.join(",", ports), ResourceStrategy.age(obj, now),
        sel.isEmpty() ? "<none>" : String.join(",", sel));
  }

  private static String externalIp(JsonNode obj, String type) {
    List<String> ips = new ArrayList<>();
    obj.path("spec").path("externalIPs").forEach(ip -> ips.add(ip.asString("")));
    switch (type) {
      case "ExternalName" -> {
        return obj.path("spec").path("externalName").asString("");
      }
      case "LoadBalancer" -> {
        obj.path("status").path("loadBalancer").path("ingress").forEach(i ->
            ips.add(i.path("ip").asString(i.path("hostname").asString(""))));
        return ips.isEmpty() ? "<pending>" : String.join(",", ips);
      }
      default -> {
        return ips.isEmpty() ? "<none>" : String.join(",", ips);
      }
    }
  }
}
