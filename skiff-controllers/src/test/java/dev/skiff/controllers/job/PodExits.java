package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Plays the kubelet for Job tests: ends a pod's only container with an exit code by writing
 * pods/status (phase Succeeded for 0, Failed otherwise, the container terminated), as a kubelet
 * reports a finished container.
 */
final class PodExits {
  private final KubernetesClient client;

  PodExits(KubernetesClient client) {
    this.client = client;
  }

  /** Returns false when the pod was gone or changed meanwhile. */
  boolean exit(Pod pod, int exitCode) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String container = pod.getSpec().getContainers().getFirst().getName();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
        p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
        p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(container)
            .withImage(pod.getSpec().getContainers().getFirst().getImage()).withReady(false).withRestartCount(0)
            .withNewState().withNewTerminated().withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error")
            .withStartedAt(now).withFinishedAt(now).endTerminated().endState().build()));
        return p;
      });
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** The Job's pods that are neither finished nor being deleted. */
  List<Pod> running(String namespace, String job) {
    return client.pods().inNamespace(namespace).withLabel("batch.kubernetes.io/job-name", job).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && !JobPods.isTerminal(p)).toList();
  }
}
