package dev.skiff.controllers.garbagecollector;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * A resource the server serves with list, watch and delete, as discovery describes it.
 *
 * @param group "" for the core group
 */
record ServedResource(String group, String version, String plural, String kind, boolean namespaced) {
  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
        .withKind(kind).withNamespaced(namespaced).build();
  }

  /** The REST path of every object of the resource, in all namespaces. */
  String collectionPath() {
    return (group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version) + "/" + plural;
  }

  /** The REST path of one object; {@code namespace} is ignored for cluster-scoped resources. */
  String path(String namespace, String name) {
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return namespaced ? prefix + "/namespaces/" + namespace + "/" + plural + "/" + name : prefix + "/" + plural + "/" + name;
  }
}
