package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.base.EventRecorder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;

/**
 * The pod writes of the StatefulSet controller and the events upstream's
 * {@code StatefulPodControl} records for them ("create Pod web-0 in StatefulSet web successful").
 * A create that finds the name taken or a delete that finds the pod gone is the cache lagging
 * behind an earlier sync, not a failure.
 */
final class StatefulPodControl {
  private final KubernetesClient client;
  private final EventRecorder events;

  StatefulPodControl(KubernetesClient client, EventRecorder events) {
    this.client = Objects.requireNonNull(client, "client");
    this.events = Objects.requireNonNull(events, "events");
  }

  /** Creates {@code pod}; returns it as created, or as asked when it already exists. */
  Pod create(StatefulSet set, Pod pod) {
    String what = "Pod " + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName();
    try {
      Pod created = client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
      events.event(set, EventRecorder.NORMAL, "SuccessfulCreate", "create " + what + " successful");
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return pod; // created by an earlier sync the cache has not shown yet; its event will sync again
      }
      events.event(set, EventRecorder.WARNING, "FailedCreate", "create " + what + " failed error: " + e.getMessage());
      throw e;
    }
  }

  void delete(StatefulSet set, Pod pod) {
    String what = "Pod " + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      events.event(set, EventRecorder.NORMAL, "SuccessfulDelete", "delete " + what + " successful");
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return;
      }
      events.event(set, EventRecorder.WARNING, "FailedDelete", "delete " + what + " failed error: " + e.getMessage());
      throw e;
    }
  }

  /** Deletes a Failed or Succeeded pod so that its ordinal is created afresh. */
  void recreateFailed(StatefulSet set, Pod pod) {
    events.event(set, EventRecorder.WARNING, "RecreatingFailedPod", "StatefulSet " + set.getMetadata().getName()
        + " is recreating failed Pod " + pod.getMetadata().getName());
    delete(set, pod);
  }
}
