package dev.skiff.kubelet.status;

import dev.skiff.kubelet.cri.ContainerState;
import dev.skiff.kubelet.cri.ContainerStatus;
import dev.skiff.kubelet.cri.SandboxState;
import dev.skiff.kubelet.cri.SandboxStatus;
import dev.skiff.kubelet.cri.SandboxSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runtime holds of one pod (upstream's kubecontainer.PodStatus): its sandboxes, newest
 * first, and the containers of all of them by name, newest attempt first.
 *
 * @param sandboxes every sandbox of the pod, newest first
 * @param latestSandbox the status of the newest sandbox, if any
 * @param containers by container name, newest first
 */
public record ObservedPod(
    List<SandboxSummary> sandboxes,
    Optional<SandboxStatus> latestSandbox,
    Map<String, List<ContainerStatus>> containers) {

  public ObservedPod {
    sandboxes = List.copyOf(sandboxes);
    containers = Map.copyOf(containers);
  }

  /** The runtime holds nothing of the pod. */
  public static final ObservedPod NONE = new ObservedPod(List.of(), Optional.empty(), Map.of());

  /** The newest sandbox is ready and has an IP (or is host-network): containers may start in it. */
  public boolean sandboxReady() {
    return latestSandbox.map(s -> s.state() == SandboxState.READY).orElse(false);
  }

  /** The pod IP of the newest sandbox. */
  public Optional<String> podIp() {
    return latestSandbox.flatMap(SandboxStatus::ip);
  }

  /** The newest attempt of the container named {@code name}. */
  public Optional<ContainerStatus> latest(String name) {
    return containers.getOrDefault(name, List.of()).stream().findFirst();
  }

  /** The attempt before the newest one, whose end is the container's lastState. */
  public Optional<ContainerStatus> previous(String name) {
    return containers.getOrDefault(name, List.of()).stream().skip(1).findFirst();
  }

  /** Whether any container of the pod still runs (or is about to). */
  public boolean anyRunning() {
    return containers.values().stream().flatMap(List::stream)
        .anyMatch(c -> c.state() == ContainerState.RUNNING || c.state() == ContainerState.CREATED);
  }
}
