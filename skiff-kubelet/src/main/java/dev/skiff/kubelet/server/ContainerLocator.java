package dev.skiff.kubelet.server;

import dev.skiff.kubelet.cri.ContainerState;
import dev.skiff.kubelet.cri.ContainerSummary;
import dev.skiff.kubelet.cri.RuntimeService;
import dev.skiff.kubelet.cri.SandboxState;
import dev.skiff.kubelet.cri.SandboxSummary;
import dev.skiff.kubelet.pods.RuntimeLabels;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds a pod's sandbox and containers in the runtime by the labels the kubelet gave them
 * ({@link RuntimeLabels}), as upstream's streaming handlers find them through the pod cache.
 */
final class ContainerLocator {

  private static final Comparator<ContainerSummary> NEWEST_FIRST = Comparator
      .comparingInt(ContainerSummary::attempt).thenComparing(ContainerSummary::createdAt).reversed();

  private final RuntimeService runtime;

  ContainerLocator(RuntimeService runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  /** Every instance of the container, newest first. */
  List<ContainerSummary> instances(String namespace, String pod, String container) {
    return runtime.listContainers(Optional.empty()).stream()
        .filter(c -> namespace.equals(c.labels().get(RuntimeLabels.POD_NAMESPACE))
            && pod.equals(c.labels().get(RuntimeLabels.POD_NAME))
            && container.equals(c.labels().get(RuntimeLabels.CONTAINER_NAME)))
        .sorted(NEWEST_FIRST)
        .toList();
  }

  /** The current instance of the container (the newest), if any. */
  Optional<ContainerSummary> current(String namespace, String pod, String container) {
    return instances(namespace, pod, container).stream().findFirst();
  }

  /** The last terminated instance before the current one (upstream's {@code previous}). */
  Optional<ContainerSummary> previous(String namespace, String pod, String container) {
    return instances(namespace, pod, container).stream().skip(1)
        .filter(c -> c.state() == ContainerState.EXITED).findFirst();
  }

  /** The current instance if it is running. */
  Optional<ContainerSummary> running(String namespace, String pod, String container) {
    return current(namespace, pod, container).filter(c -> c.state() == ContainerState.RUNNING);
  }

  /** The pod's ready sandbox, newest first. */
  Optional<SandboxSummary> readySandbox(String namespace, String pod) {
    return runtime.listPodSandboxes().stream()
        .filter(s -> s.state() == SandboxState.READY && namespace.equals(s.namespace()) && pod.equals(s.name()))
        .max(Comparator.comparingInt(SandboxSummary::attempt).thenComparing(SandboxSummary::createdAt));
  }

  /** Whether the container instance is still running (asked while following its log). */
  boolean isRunning(String containerId) {
    return runtime.containerStatus(containerId).state() == ContainerState.RUNNING;
  }
}
