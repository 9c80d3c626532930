package dev.skiff.apiserver.registry.networking;

import dev.skiff.apiserver.api.FieldError;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.discovery.ResourceDefinition.Subresource;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.SpecStatusStrategy;
import dev.skiff.apiserver.registry.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ingresses ({@code pkg/registry/networking/ingress}): a default backend or rules; each path with
 * a supported pathType, an absolute path where the type needs one, and a backend naming a
 * service (with a port name or number) or a resource.
 */
public final class IngressStrategy extends SpecStatusStrategy {
  private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");

  public IngressStrategy() {
    super(new ResourceDefinition("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true,
        ResourceDefinition.ALL_VERBS, List.of("ing"), List.of(), List.of(Subresource.status("Ingress"))));
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    JsonNode spec = obj.path("spec");
    List<FieldError> errors = new ArrayList<>();
    if (spec.path("rules").isEmpty() && !spec.has("defaultBackend")) {
      errors.add(FieldError.invalid("spec", spec.deepCopy(), "either `defaultBackend` or `rules` must be specified"));
    }
    if (spec.has("defaultBackend")) {
      errors.addAll(backend(spec.path("defaultBackend"), "spec.defaultBackend"));
    }
    int i = 0;
    for (JsonNode rule : spec.path("rules")) {
      String host = rule.path("host").asString("");
      if (host.contains("*") && !host.startsWith("*.")) {
        errors.add(FieldError.invalid("spec.rules[" + i + "].host", host,
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
      }
      int j = 0;
      for (JsonNode path : rule.path("http").path("paths")) {
        String at = "spec.rules[" + i + "].http.paths[" + j++ + "]";
        String type = path.path("pathType").asString("");
        if (type.isEmpty()) {
          errors.add(FieldError.required(at + ".pathType", "pathType must be specified"));
        } else if (!PATH_TYPES.contains(type)) {
          errors.add(FieldError.notSupported(at + ".pathType", type, PATH_TYPES));
        }
        String p = path.path("path").asString("");
        if (!type.equals("ImplementationSpecific") && !p.startsWith("/")) {
          errors.add(FieldError.invalid(at + ".path", p, "must be an absolute path"));
        }
        errors.addAll(backend(path.path("backend"), at + ".backend"));
      }
      i++;
    }
    return errors;
  }

  private static List<FieldError> backend(JsonNode b, String path) {
    boolean service = b.has("service");
    boolean resource = b.has("resource");
    if (service && resource) {
      return List.of(FieldError.invalid(path, b.deepCopy(), "cannot set both resource and service backends"));
    }
    if (!service && !resource) {
      return List.of(FieldError.invalid(path, b.deepCopy(), "resource or service backend is required"));
    }
    if (service) {
      List<FieldError> errors = new ArrayList<>();
      if (b.path("service").path("name").asString("").isEmpty()) {
        errors.add(FieldError.required(path + ".service.name", ""));
      }
      JsonNode port = b.path("service").path("port");
      if (port.has("name") && port.has("number")) {
        errors.add(FieldError.invalid(path + ".service.port", port.deepCopy(), "cannot set both port name & port number"));
      } else if (!port.has("name") && !port.has("number")) {
        errors.add(FieldError.required(path + ".service.port", "port name or number is required"));
      }
      return errors;
    }
    return List.of();
  }

  @Override
  public List<TableColumn> columns() {
    return List.of(TableColumn.nameColumn(),
        TableColumn.of("Class", "string", "The name of the IngressClass resource that should be used for ingress"),
        TableColumn.of("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
        TableColumn.of("Address", "string", "Address is a list containing ingress points for the load-balancer"),
        TableColumn.of("Ports", "string", "Ports of TLS configurations that open"),
        TableColumn.ageColumn());
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    JsonNode spec = obj.path("spec");
    String ingressClass = spec.path("ingressClassName").asString(
        obj.path("metadata").path("annotations").path("kubernetes.io/ingress.class").asString("<none>"));
    Set<String> hosts = new LinkedHashSet<>();
    spec.path("rules").forEach(r -> hosts.add(r.path("host").asString("").isEmpty() ? "*" : r.path("host").asString("")));
    List<String> addresses = new ArrayList<>();
    for (JsonNode lb : obj.path("status").path("loadBalancer").path("ingress")) {
      addresses.add(lb.has("ip") ? lb.path("ip").asString("") : lb.path("hostname").asString(""));
    }
    return List.of(ObjectMeta.name(obj), ingressClass, hostList(hosts), String.join(",", addresses),
        spec.path("tls").isEmpty() ? "80" : "80, 443", ResourceStrategy.age(obj, now));
  }

  /** As upstream's formatHosts: at most three, then "+ N more...". */
  private static String hostList(Set<String> hosts) {
    List<String> all = List.copyOf(hosts);
    if (all.isEmpty()) {
      return "*";
    }
    return all.size() > 3 ? String.join(",", all.subList(0, 3)) + " + " + (all.size() - 3) + " more..." : String.join(",", all);
  }
}
