package dev.skiff.kubelet.cri;

import dev.skiff.kubelet.cri.v1.DNSConfig;
import dev.skiff.kubelet.cri.v1.LinuxPodSandboxConfig;
import dev.skiff.kubelet.cri.v1.LinuxSandboxSecurityContext;
import dev.skiff.kubelet.cri.v1.NamespaceMode;
import dev.skiff.kubelet.cri.v1.NamespaceOption;
import dev.skiff.kubelet.cri.v1.PodSandboxConfig;
import dev.skiff.kubelet.cri.v1.PodSandboxMetadata;
import dev.skiff.kubelet.cri.v1.Protocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the kubelet asks of a pod sandbox: the pod's identity, hostname, log directory, labels,
 * annotations, hostPorts and DNS. The pod gets its own network namespace (CNI gives it an IP),
 * its own IPC namespace, and a PID namespace per container, as upstream's kubelet asks for
 * {@code v1.Pod}s without {@code shareProcessNamespace}.
 *
 * @param attempt starts at 0 and grows each time the kubelet recreates the sandbox of the same pod
 * @param logDirectory absolute; upstream uses {@code /var/log/pods/<namespace>_<name>_<uid>}
 */
public record PodSandboxSpec(
    String name,
    String namespace,
    String uid,
    int attempt,
    String hostname,
    Path logDirectory,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<PortMapping> portMappings,
    DnsSettings dns) {

  /** resolv.conf contents for the pod; all empty means the runtime copies the node's. */
  public record DnsSettings(List<String> servers, List<String> searches, List<String> options) {
    public static final DnsSettings NODE_DEFAULT = new DnsSettings(List.of(), List.of(), List.of());

    public DnsSettings {
      servers = List.copyOf(servers);
      searches = List.copyOf(searches);
      options = List.copyOf(options);
    }
  }

  public PodSandboxSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(logDirectory, "logDirectory");
    Objects.requireNonNull(dns, "dns");
    if (!logDirectory.isAbsolute()) {
      throw new IllegalArgumentException("logDirectory must be absolute: " + logDirectory);
    }
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    portMappings = List.copyOf(portMappings);
  }

  /** A sandbox for a pod with no hostPorts, labels or annotations, using the node's DNS. */
  public static PodSandboxSpec of(String name, String namespace, String uid, Path logDirectory) {
    return new PodSandboxSpec(name, namespace, uid, 0, name, logDirectory, Map.of(), Map.of(), List.of(),
        DnsSettings.NODE_DEFAULT);
  }

  PodSandboxConfig toProto() {
    var config = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder()
            .setName(name).setNamespace(namespace).setUid(uid).setAttempt(attempt))
        .setHostname(hostname)
        .setLogDirectory(logDirectory.toString())
        .putAllLabels(labels)
        .putAllAnnotations(annotations)
        .setDnsConfig(DNSConfig.newBuilder()
            .addAllServers(dns.servers()).addAllSearches(dns.searches()).addAllOptions(dns.options()))
        .setLinux(LinuxPodSandboxConfig.newBuilder()
            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder()
                    .setNetwork(NamespaceMode.POD)
                    .setIpc(NamespaceMode.POD)
                    .setPid(NamespaceMode.CONTAINER))));
    for (PortMapping port : portMappings) {
      config.addPortMappings(dev.skiff.kubelet.cri.v1.PortMapping.newBuilder()
          .setProtocol(Protocol.valueOf(port.protocol().name()))
          .setContainerPort(port.containerPort())
          .setHostPort(port.hostPort())
          .setHostIp(port.hostIp()));
    }
    return config.build();
  }
}
