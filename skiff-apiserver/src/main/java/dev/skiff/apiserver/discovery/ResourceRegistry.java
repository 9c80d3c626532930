package dev.skiff.apiserver.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resources this server serves, in registration order: the one source that discovery,
 * routing and storage read. Built once at startup; immutable and thread-safe afterwards.
 */
public final class ResourceRegistry {
  private final List<ResourceDefinition> resources;
  private final Map<String, ResourceDefinition> byGroupVersionResource = new LinkedHashMap<>();

  public ResourceRegistry(List<ResourceDefinition> resources) {
    this.resources = List.copyOf(resources);
    for (ResourceDefinition r : this.resources) {
      if (byGroupVersionResource.put(key(r.group(), r.version(), r.plural()), r) != null) {
        throw new IllegalArgumentException("resource registered twice: " + r.apiVersion() + " " + r.plural());
      }
    }
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  public List<ResourceDefinition> all() {
    return resources;
  }

  public Optional<ResourceDefinition> find(String group, String version, String plural) {
    return Optional.ofNullable(byGroupVersionResource.get(key(group, version, plural)));
  }

  /** The non-core groups, in registration order. */
  public List<String> groups() {
    Set<String> out = new LinkedHashSet<>();
    for (ResourceDefinition r : resources) {
      if (!r.group().isEmpty()) {
        out.add(r.group());
      }
    }
    return List.copyOf(out);
  }

  /** The versions served for {@code group}, preferred first. */
  public List<String> versions(String group) {
    Set<String> out = new LinkedHashSet<>();
    for (ResourceDefinition r : resources) {
      if (r.group().equals(group)) {
        out.add(r.version());
      }
    }
    return List.copyOf(out);
  }

  public List<ResourceDefinition> resources(String group, String version) {
    List<ResourceDefinition> out = new ArrayList<>();
    for (ResourceDefinition r : resources) {
      if (r.group().equals(group) && r.version().equals(version)) {
        out.add(r);
      }
    }
    return out;
  }
}
