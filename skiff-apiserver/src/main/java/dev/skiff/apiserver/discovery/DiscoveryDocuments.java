package dev.skiff.apiserver.discovery;

import dev.skiff.apiserver.json.Json;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the discovery documents from the {@link ResourceRegistry}: the legacy ones
 * ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/G}, {@code /apis/G/V}) and the
 * aggregated {@code apidiscovery.k8s.io/v2} lists that kubectl 1.32 asks for first.
 */
public final class DiscoveryDocuments {
  /** The media type of an aggregated discovery response; clients check it before parsing. */
  public static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private final ResourceRegistry registry;

  public DiscoveryDocuments(ResourceRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** {@code /api}: the core group's versions. */
  public ObjectNode apiVersions(String serverAddress) {
    ObjectNode o = Json.object().put("kind", "APIVersions");
    ArrayNode v = o.putArray("versions");
    registry.versions("").forEach(v::add);
    o.putArray("serverAddressByClientCIDRs").addObject()
        .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    return o;
  }

  /** {@code /apis}: every non-core group. */
  public ObjectNode groupList() {
    ObjectNode o = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = o.putArray("groups");
    for (String g : registry.groups()) {
      groups.add(group(g).without(List.of("kind", "apiVersion")));
    }
    return o;
  }

  /** {@code /apis/G}, or null when the group is not served. */
  public ObjectNode group(String group) {
    List<String> versions = registry.versions(group);
    if (group.isEmpty() || versions.isEmpty()) {
      return null;
    }
    ObjectNode o = Json.object().put("kind", "APIGroup").put("apiVersion", "v1").put("name", group);
    ArrayNode vs = o.putArray("versions");
    for (String v : versions) {
      vs.addObject().put("groupVersion", group + "/" + v).put("version", v);
    }
    o.putObject("preferredVersion").put("groupVersion", group + "/" + versions.getFirst())
        .put("version", versions.getFirst());
    return o;
  }

  /** {@code /api/v1} or {@code /apis/G/V}, or null when that group version is not served. */
  public ObjectNode resourceList(String group, String version) {
    List<ResourceDefinition> resources = registry.resources(group, version);
    if (resources.isEmpty()) {
      return null;
    }
    ObjectNode o = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode list = o.putArray("resources");
    for (ResourceDefinition r : resources) {
      ObjectNode e = list.addObject().put("name", r.plural()).put("singularName", r.singular())
          .put("namespaced", r.namespaced()).put("kind", r.kind());
      strings(e.putArray("verbs"), r.verbs());
      if (!r.shortNames().isEmpty()) {
        strings(e.putArray("shortNames"), r.shortNames());
      }
      if (!r.categories().isEmpty()) {
        strings(e.putArray("categories"), r.categories());
      }
      for (ResourceDefinition.Subresource s : r.subresources()) {
        ObjectNode se = list.addObject().put("name", r.plural() + "/" + s.name()).put("singularName", "")
            .put("namespaced", r.namespaced());
        if (s.group() != null) {
          se.put("group", s.group()).put("version", s.version());
        }
        se.put("kind", s.kind());
        strings(se.putArray("verbs"), s.verbs());
      }
    }
    return o;
  }

  /**
   * The aggregated list for {@code /api} (core group only, {@code core == true}) or {@code /apis}
   * (every other group).
   */
  public ObjectNode aggregated(boolean core) {
    ObjectNode o = Json.object().put("kind", "APIGroupDiscoveryList")
        .put("apiVersion", "apidiscovery.k8s.io/v2");
    o.putObject("metadata");
    ArrayNode items = o.putArray("items");
    List<String> groups = core ? List.of("") : registry.groups();
    for (String g : groups) {
      ObjectNode item = items.addObject();
      ObjectNode meta = item.putObject("metadata");
      if (!g.isEmpty()) {
        meta.put("name", g);
      }
      ArrayNode versions = item.putArray("versions");
      for (String v : registry.versions(g)) {
        ObjectNode ver = versions.addObject().put("version", v);
        ArrayNode res = ver.putArray("resources");
        for (ResourceDefinition r : registry.resources(g, v)) {
          ObjectNode e = res.addObject().put("resource", r.plural());
          responseKind(e, r, r.kind());
          e.put("scope", r.namespaced() ? "Namespaced" : "Cluster").put("singularResource", r.singular());
          strings(e.putArray("verbs"), r.verbs());
          if (!r.shortNames().isEmpty()) {
            strings(e.putArray("shortNames"), r.shortNames());
          }
          if (!r.categories().isEmpty()) {
            strings(e.putArray("categories"), r.categories());
          }
          if (!r.subresources().isEmpty()) {
            ArrayNode subs = e.putArray("subresources");
            for (ResourceDefinition.Subresource s : r.subresources()) {
              ObjectNode se = subs.addObject().put("subresource", s.name());
              se.putObject("responseKind").put("group", s.group() != null ? s.group() : r.group())
                  .put("version", s.version() != null ? s.version() : r.version()).put("kind", s.kind());
              strings(se.putArray("verbs"), s.verbs());
            }
          }
        }
        ver.put("freshness", "Current");
      }
    }
    return o;
  }

  private static void responseKind(ObjectNode e, ResourceDefinition r, String kind) {
    e.putObject("responseKind").put("group", r.group()).put("version", r.version()).put("kind", kind);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
