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
 * routing and storage read. The built-in resources are registered at startup; custom resources
 * come and go with their definitions through {@link #register} and {@link #unregister}.
 * Thread-safe: readers see an immutable snapshot, writers replace it.
 */
public final class ResourceRegistry {
  private volatile Snapshot snapshot;

  private record Snapshot(List<ResourceDefinition> resources, Map<String, ResourceDefinition> byKey) {}

  public ResourceRegistry(List<ResourceDefinition> resources) {
    this.snapshot = snapshotOf(resources);
  }

  private static Snapshot snapshotOf(List<ResourceDefinition> resources) {
    Map<String, ResourceDefinition> byKey = new LinkedHashMap<>();
    for (ResourceDefinition r : resources) {
      if (byKey.put(key(r.group(), r.version(), r.plural()), r) != null) {
        throw new IllegalArgumentException("resource registered twice: " + r.apiVersion() + " " + r.plural());
      }
    }
    return new Snapshot(List.copyOf(resources), Map.copyOf(byKey));
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  /**
   * Adds {@code r}, or replaces the definition registered under its group, version and plural.
   */
  public synchronized void register(ResourceDefinition r) {
    List<ResourceDefinition> next = new ArrayList<>(snapshot.resources());
    next.removeIf(d -> d.group().equals(r.group()) && d.version().equals(r.version()) && d.plural().equals(r.plural()));
    next.add(r);
    snapshot = snapshotOf(next);
  }

  /** Removes {@code r}, if registered. */
  public synchronized void unregister(ResourceDefinition r) {
    List<ResourceDefinition> next = new ArrayList<>(snapshot.resources());
    if (next.remove(r)) {
      snapshot = snapshotOf(next);
    }
  }

  public List<ResourceDefinition> all() {
    return snapshot.resources();
  }

  public Optional<ResourceDefinition> find(String group, String version, String plural) {
    return Optional.ofNullable(snapshot.byKey().get(key(group, version, plural)));
  }

  /** The non-core groups, in registration order. */
  public List<String> groups() {
    Set<String> out = new LinkedHashSet<>();
    for (ResourceDefinition r : all()) {
      if (!r.group().isEmpty()) {
        out.add(r.group());
      }
    }
    return List.copyOf(out);
  }

  /** The versions served for {@code group}, preferred first. */
  public List<String> versions(String group) {
    Set<String> out = new LinkedHashSet<>();
    for (ResourceDefinition r : all()) {
      if (r.group().equals(group)) {
        out.add(r.version());
      }
    }
    return List.copyOf(out);
  }

  public List<ResourceDefinition> resources(String group, String version) {
    List<ResourceDefinition> out = new ArrayList<>();
    for (ResourceDefinition r : all()) {
      if (r.group().equals(group) && r.version().equals(version)) {
        out.add(r);
      }
    }
    return out;
  }
}
