package dev.skiff.kubelet.pods;

import dev.skiff.kubelet.cri.ContainerSpec;
import dev.skiff.kubelet.cri.EnvVar;
import dev.skiff.kubelet.cri.LinuxResources;
import dev.skiff.kubelet.cri.PodSandboxSpec;
import dev.skiff.kubelet.cri.PortMapping;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a v1 Pod into what CRI is asked for, as upstream's kuberuntime_sandbox.go and
 * kuberuntime_container.go do: the sandbox config (hostname, log directory, hostPorts, labels)
 * and each container's config (command, args, env, working dir, cgroup limits, log path).
 */
final class CriSpecs {

  /** Upstream's CFS period (quotaPeriod) in microseconds. */
  static final long CPU_PERIOD_US = 100_000;
  /** The least CFS quota the kernel takes (1 ms). */
  private static final long MIN_CPU_QUOTA_US = 1_000;
  /** The least cgroups v1 cpu.shares, which best-effort containers get. */
  private static final long MIN_SHARES = 2;

  private CriSpecs() {}

  static PodSandboxSpec sandbox(Pod pod, int attempt, Path logDirectory) {
    var spec = pod.getSpec();
    String hostname = spec.getHostname() != null && !spec.getHostname().isEmpty()
        ? spec.getHostname() : pod.getMetadata().getName();
    List<PortMapping> ports = new ArrayList<>();
    for (Container c : allContainers(pod)) {
      for (var p : c.getPorts() == null ? List.<io.fabric8.kubernetes.api.model.ContainerPort>of() : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
          ports.add(new PortMapping(PortMapping.Protocol.valueOf(protocol), p.getContainerPort(), p.getHostPort(),
              p.getHostIP() == null ? "" : p.getHostIP()));
        }
      }
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of()
        : pod.getMetadata().getAnnotations();
    return new PodSandboxSpec(pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
        pod.getMetadata().getUid(), attempt, hostname, logDirectory, RuntimeLabels.sandbox(pod), annotations, ports,
        PodDns.settings(pod));
  }

  static ContainerSpec container(Pod pod, Container c, int attempt, List<EnvVar> env) {
    return container(pod, c, attempt, env, List.of());
  }

  static ContainerSpec container(Pod pod, Container c, int attempt, List<EnvVar> env,
      List<dev.skiff.kubelet.cri.Mount> mounts) {
    long grace = pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30
        : pod.getSpec().getTerminationGracePeriodSeconds();
    return new ContainerSpec(c.getName(), attempt, c.getImage(), nullToEmpty(c.getCommand()), nullToEmpty(c.getArgs()),
        env, c.getWorkingDir() == null ? "" : c.getWorkingDir(), c.getName() + "/" + attempt + ".log",
        RuntimeLabels.container(pod, c.getName()),
        Map.of(RuntimeLabels.RESTART_COUNT, Integer.toString(attempt), RuntimeLabels.TERMINATION_GRACE,
            Long.toString(grace)),
        resources(c), mounts, new ContainerSpec.Stdio(Boolean.TRUE.equals(c.getStdin()),
            Boolean.TRUE.equals(c.getStdinOnce()), Boolean.TRUE.equals(c.getTty())));
  }

  /**
   * Upstream's mapping of requests and limits to cgroups v1: shares from the CPU request (or the
   * limit when no request is given), a CFS quota from the CPU limit, the memory limit as is.
   */
  static LinuxResources resources(Container c) {
    var r = c.getResources();
    Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
    Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
    if (limits.isEmpty() && requests.isEmpty()) {
      return new LinuxResources(0, 0, MIN_SHARES, 0);
    }
    Quantity cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
    long shares = cpuRequest == null ? MIN_SHARES
        : Math.max(MIN_SHARES, millis(cpuRequest) * 1024 / 1000);
    long quota = 0;
    long period = 0;
    if (limits.containsKey("cpu")) {
      quota = Math.max(MIN_CPU_QUOTA_US, millis(limits.get("cpu")) * CPU_PERIOD_US / 1000);
      period = CPU_PERIOD_US;
    }
    long memory = limits.containsKey("memory") ? limits.get("memory").getNumericalAmount().longValue() : 0;
    return new LinuxResources(period, quota, shares, memory);
  }

  private static long millis(Quantity q) {
    return q.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.CEILING)
        .longValueExact();
  }

  static List<Container> allContainers(Pod pod) {
    List<Container> all = new ArrayList<>(nullToEmpty(pod.getSpec().getInitContainers()));
    all.addAll(pod.getSpec().getContainers());
    return all;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
