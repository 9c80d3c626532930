package dev.skiff.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Scalable;

/**
 * The scale subresource of an HPA's target, for the kinds whose typed client fabric8 offers it.
 * Upstream resolves any kind through the RESTMapper and the scale client; Skiff covers the built-in
 * workloads.
 */
final class ScaleTargets {
  private ScaleTargets() {}

  /** The target's scalable client, or null for a kind this controller cannot scale. */
  static Scalable<?> of(KubernetesClient client, String namespace, CrossVersionObjectReference ref) {
    String group = ref.getApiVersion() == null || !ref.getApiVersion().contains("/") ? ""
        : ref.getApiVersion().substring(0, ref.getApiVersion().indexOf('/'));
    return switch (group + "/" + ref.getKind()) {
      case "apps/Deployment" -> client.apps().deployments().inNamespace(namespace).withName(ref.getName());
      case "apps/ReplicaSet" -> client.apps().replicaSets().inNamespace(namespace).withName(ref.getName());
      case "apps/StatefulSet" -> client.apps().statefulSets().inNamespace(namespace).withName(ref.getName());
      case "/ReplicationController" -> client.replicationControllers().inNamespace(namespace).withName(ref.getName());
      default -> null;
    };
  }
}
