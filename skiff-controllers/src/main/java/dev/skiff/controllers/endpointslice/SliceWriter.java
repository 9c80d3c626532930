package dev.skiff.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Carries out a {@link SlicePlan} through the API: updates, then creates, then deletes. */
public final class SliceWriter {
  private final KubernetesClient client;

  public SliceWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes {@code plan} in {@code namespace}; {@code create} false skips the creates (the owner is
   * being deleted). A create refused with 403 (the namespace is terminating) is dropped.
   */
  public void write(String namespace, SlicePlan plan, boolean create) {
    var api = client.discovery().v1().endpointSlices().inNamespace(namespace);
    for (EndpointSlice s : plan.update()) {
      api.resource(s).update();
    }
    for (EndpointSlice s : create ? plan.create() : java.util.List.<EndpointSlice>of()) {
      try {
        api.resource(s).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403) {
          throw e;
        }
      }
    }
    plan.delete().forEach(this::delete);
  }

  /** Deletes {@code slice}; one already gone is fine. */
  public void delete(EndpointSlice slice) {
    try {
      client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
          .withName(slice.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
