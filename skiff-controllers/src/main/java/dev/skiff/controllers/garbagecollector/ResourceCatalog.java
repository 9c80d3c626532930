package dev.skiff.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the garbage collector can watch and delete, from discovery (upstream's
 * {@code GetDeletableResources}): every served resource with list, watch and delete, except
 * events, which upstream's collector ignores. Owner references name a kind and apiVersion; the
 * catalog maps them to resources, falling back to the group's preferred version.
 */
final class ResourceCatalog {
  private static final Set<String> IGNORED = Set.of("/events", "events.k8s.io/events");

  private final List<ServedResource> resources;
  private final Map<String, ServedResource> byApiVersionKind = new HashMap<>();
  private final Map<String, ServedResource> byGroupKind = new HashMap<>();

  private ResourceCatalog(List<ServedResource> resources) {
    this.resources = List.copyOf(resources);
    for (ServedResource r : resources) {
      byApiVersionKind.put(r.apiVersion() + "|" + r.kind(), r);
      byGroupKind.putIfAbsent(r.group() + "|" + r.kind(), r);
    }
  }

  static ResourceCatalog discover(KubernetesClient client) {
    List<ServedResource> found = new ArrayList<>();
    List<String> groupVersions = new ArrayList<>(List.of("v1"));
    for (APIGroup g : client.getApiGroups().getGroups()) {
      if (g.getPreferredVersion() != null) {
        groupVersions.add(g.getPreferredVersion().getGroupVersion());
      }
    }
    for (String gv : groupVersions) {
      String group = gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "";
      String version = gv.substring(gv.indexOf('/') + 1);
      var list = client.getApiResources(gv);
      if (list == null) {
        continue;
      }
      for (APIResource r : list.getResources()) {
        List<String> verbs = r.getVerbs() == null ? List.of() : r.getVerbs();
        if (r.getName().contains("/") || IGNORED.contains(group + "/" + r.getName())
            || !verbs.containsAll(List.of("list", "watch", "delete"))) {
          continue;
        }
        found.add(new ServedResource(group, version, r.getName(), r.getKind(), Boolean.TRUE.equals(r.getNamespaced())));
      }
    }
    return new ResourceCatalog(found);
  }

  List<ServedResource> all() {
    return resources;
  }

  /** The resource an owner reference's apiVersion and kind name. */
  Optional<ServedResource> forKind(String apiVersion, String kind) {
    ServedResource exact = byApiVersionKind.get(apiVersion + "|" + kind);
    if (exact != null) {
      return Optional.of(exact);
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return Optional.ofNullable(byGroupKind.get(group + "|" + kind));
  }
}
