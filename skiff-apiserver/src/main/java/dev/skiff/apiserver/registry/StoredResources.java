package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.discovery.ResourceDefinition;
import dev.skiff.apiserver.registry.core.ServiceAccountResource;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The built-in resources that the server stores without behaviour of its own yet: service
 * accounts, endpoints and endpoint slices, and the RBAC objects (kept, not enforced: the
 * authorizer allows every authenticated user until RBAC is implemented).
 */
final class StoredResources {
  private static final List<String> VERBS = ResourceDefinition.ALL_VERBS;

  private StoredResources() {}

  static List<ResourceStrategy> strategies() {
    List<ResourceStrategy> out = new ArrayList<>();
    out.add(new PlainStrategy(ServiceAccountResource.DEFINITION,
        List.of(TableColumn.of("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), TableColumn.ageColumn()),
        (obj, now) -> List.of(obj.path("secrets").size(), ResourceStrategy.age(obj, now)), false));
    out.add(new PlainStrategy(new ResourceDefinition("", "v1", "Endpoints", "endpoints", "endpoints", true, VERBS,
        List.of("ep"), List.of(), List.of()),
        List.of(TableColumn.of("Endpoints", "string", "Endpoints is the list of endpoints of the service."), TableColumn.ageColumn()),
        (obj, now) -> List.of(endpoints(obj), ResourceStrategy.age(obj, now)), false));
    out.add(new PlainStrategy(new ResourceDefinition("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices",
        "endpointslice", true, VERBS, List.of(), List.of(), List.of()),
        List.of(TableColumn.of("AddressType", "string", "The IP protocol for this slice"),
            TableColumn.of("Ports", "string", "The ports for this slice"),
            TableColumn.of("Endpoints", "string", "The endpoints for this slice"), TableColumn.ageColumn()),
        (obj, now) -> List.of(obj.path("addressType").asString(""), slicePorts(obj), sliceEndpoints(obj),
            ResourceStrategy.age(obj, now)), false));
    String rbac = "rbac.authorization.k8s.io";
    TableColumn createdAt = new TableColumn("Created At", "date", "", "Creation timestamp of the object.", 0);
    TableColumn role = TableColumn.of("Role", "string", "The role the binding refers to.");
    out.add(new PlainStrategy(new ResourceDefinition(rbac, "v1", "Role", "roles", "role", true, VERBS, List.of(),
        List.of(), List.of()), List.of(createdAt), (obj, now) -> List.of(created(obj)), false));
    out.add(new PlainStrategy(new ResourceDefinition(rbac, "v1", "RoleBinding", "rolebindings", "rolebinding", true,
        VERBS, List.of(), List.of(), List.of()), List.of(role, TableColumn.ageColumn()),
        (obj, now) -> List.of(roleRef(obj), ResourceStrategy.age(obj, now)), false));
    out.add(new PlainStrategy(new ResourceDefinition(rbac, "v1", "ClusterRole", "clusterroles", "clusterrole", false,
        VERBS, List.of(), List.of(), List.of()), List.of(createdAt), (obj, now) -> List.of(created(obj)), false));
    out.add(new PlainStrategy(new ResourceDefinition(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings",
        "clusterrolebinding", false, VERBS, List.of(), List.of(), List.of()), List.of(role, TableColumn.ageColumn()),
        (obj, now) -> List.of(roleRef(obj), ResourceStrategy.age(obj, now)), false));
    return out;
  }

  private static String created(JsonNode obj) {
    return obj.path("metadata").path("creationTimestamp").asString("");
  }

  private static String roleRef(JsonNode obj) {
    return obj.path("roleRef").path("kind").asString("") + "/" + obj.path("roleRef").path("name").asString("");
  }

  /** "10.42.0.5:8080,10.42.0.6:8080", at most three then "+ N more...", as kubectl prints. */
  private static String endpoints(JsonNode obj) {
    List<String> all = new ArrayList<>();
    for (JsonNode subset : obj.path("subsets")) {
      for (JsonNode a : subset.path("addresses")) {
        if (subset.path("ports").isEmpty()) {
          all.add(a.path("ip").asString(""));
        }
        for (JsonNode p : subset.path("ports")) {
          all.add(a.path("ip").asString("") + ":" + p.path("port").asInt());
        }
      }
    }
    return abbreviate(all);
  }

  private static String slicePorts(JsonNode obj) {
    List<String> ports = new ArrayList<>();
    obj.path("ports").forEach(p -> ports.add(String.valueOf(p.path("port").asInt())));
    return ports.isEmpty() ? "<unset>" : String.join(",", ports);
  }

  private static String sliceEndpoints(JsonNode obj) {
    List<String> all = new ArrayList<>();
    for (JsonNode e : obj.path("endpoints")) {
      e.path("addresses").forEach(a -> all.add(a.asString("")));
    }
    return abbreviate(all);
  }

  private static String abbreviate(List<String> all) {
    if (all.isEmpty()) {
      return "<none>";
    }
    if (all.size() <= 3) {
      return String.join(",", all);
    }
    return String.join(",", all.subList(0, 3)) + " + " + (all.size() - 3) + " more...";
  }
}
