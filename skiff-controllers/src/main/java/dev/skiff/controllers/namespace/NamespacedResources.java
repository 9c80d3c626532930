package dev.skiff.controllers.namespace;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What a namespace may hold, from discovery at the time of each deletion pass (custom resources
 * come and go): every namespaced resource of every group's preferred version that can be listed
 * and deleted, as upstream's namespace deleter asks for. A group version whose discovery fails is
 * named in {@link #failedGroupVersions}, and the namespace keeps its finalizer until it succeeds.
 */
record NamespacedResources(List<ResourceDefinitionContext> resources, List<String> failedGroupVersions) {
  NamespacedResources {
    resources = List.copyOf(resources);
    failedGroupVersions = List.copyOf(failedGroupVersions);
  }

  static NamespacedResources discover(KubernetesClient client) {
    List<String> groupVersions = new ArrayList<>(List.of("v1"));
    for (APIGroup g : client.getApiGroups().getGroups()) {
      if (g.getPreferredVersion() != null) {
        groupVersions.add(g.getPreferredVersion().getGroupVersion());
      }
    }
    List<ResourceDefinitionContext> found = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String gv : groupVersions) {
      APIResourceList list;
      try {
        list = client.getApiResources(gv);
      } catch (KubernetesClientException e) {
        failed.add(gv);
        continue;
      }
      if (list == null) {
        failed.add(gv);
        continue;
      }
      String group = gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "";
      String version = gv.substring(gv.indexOf('/') + 1);
      for (APIResource r : list.getResources()) {
        List<String> verbs = r.getVerbs() == null ? List.of() : r.getVerbs();
        if (!Boolean.TRUE.equals(r.getNamespaced()) || r.getName().contains("/")
            || !verbs.containsAll(List.of("list", "delete"))) {
          continue;
        }
        found.add(new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
            .withPlural(r.getName()).withKind(r.getKind()).withNamespaced(true).build());
      }
    }
    return new NamespacedResources(found, failed);
  }
}
