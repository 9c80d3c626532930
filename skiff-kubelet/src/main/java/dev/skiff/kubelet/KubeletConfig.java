package dev.skiff.kubelet;

import dev.skiff.kubelet.cni.Ipv4Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Kubelet} runs.
 *
 * @param nodeName the Node's name (upstream: the host name, lower-cased)
 * @param dataDir where the kubelet keeps containerd's state, CNI config and pod logs ({@code pods/})
 * @param runtime whether the kubelet starts containerd itself or attaches to a running one
 * @param defaultPodCidr the pod CIDR when the Node has no {@code spec.podCIDR} yet (written to it)
 * @param clusterCidr all pods' addresses: it gets the unreachable safety route
 * @param nodeIp the InternalIP to report; empty picks the first non-loopback IPv4 of an up interface
 * @param nodeStatusInterval how often the Node's status is posted (upstream nodeStatusUpdateFrequency)
 * @param leaseRenewInterval how often the node Lease is renewed (upstream: a quarter of its 40 s duration)
 * @param relistInterval how often the whole CRI state is listed to catch what events missed (upstream PLEG: 1 s)
 * @param initialBackOff the first crash-loop back-off; doubles up to {@code maxBackOff}
 * @param podCidrFromCluster whether the cluster (the node-ipam-controller) assigns the Node's
 *     podCIDR: the Node registers without one and the kubelet waits for it; when false a Node
 *     without one gets {@code defaultPodCidr}, for clusters that run no controller manager
 */
public record KubeletConfig(
    String nodeName,
    Path dataDir,
    RuntimeEndpoint runtime,
    Ipv4Cidr defaultPodCidr,
    Ipv4Cidr clusterCidr,
    Optional<String> nodeIp,
    Duration nodeStatusInterval,
    Duration leaseRenewInterval,
    Duration relistInterval,
    Duration initialBackOff,
    Duration maxBackOff,
    boolean podCidrFromCluster) {

  /** The kubelet version the Node reports, that of the API server. */
  public static final String KUBELET_VERSION = "v1.32.0+skiff";

  /** Where the container runtime comes from. */
  public sealed interface RuntimeEndpoint {
    /** The kubelet starts containerd under {@code dataDir/containerd}, imports its busybox images, and stops it on close. */
    record Supervised() implements RuntimeEndpoint {}

    /** The kubelet uses a running CRI runtime whose CNI config directory is {@code cniConfDir}. */
    record Attached(Path socket, Path cniConfDir) implements RuntimeEndpoint {}
  }

  /** The configuration of a kubelet that chooses its own podCIDR ({@code defaultPodCidr}). */
  public KubeletConfig(String nodeName, Path dataDir, RuntimeEndpoint runtime, Ipv4Cidr defaultPodCidr,
      Ipv4Cidr clusterCidr, Optional<String> nodeIp, Duration nodeStatusInterval, Duration leaseRenewInterval,
      Duration relistInterval, Duration initialBackOff, Duration maxBackOff) {
    this(nodeName, dataDir, runtime, defaultPodCidr, clusterCidr, nodeIp, nodeStatusInterval, leaseRenewInterval,
        relistInterval, initialBackOff, maxBackOff, false);
  }

  public KubeletConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(defaultPodCidr, "defaultPodCidr");
    Objects.requireNonNull(clusterCidr, "clusterCidr");
    Objects.requireNonNull(nodeIp, "nodeIp");
    if (!clusterCidr.overlaps(defaultPodCidr)) {
      throw new IllegalArgumentException(defaultPodCidr + " lies outside the cluster CIDR " + clusterCidr);
    }
    dataDir = dataDir.toAbsolutePath();
  }

  /** Upstream's intervals, this machine's host name, 10.42.0.0/24 of 10.42.0.0/16, supervised containerd. */
  public static KubeletConfig defaults(Path dataDir) throws IOException {
    return new KubeletConfig(InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT), dataDir,
        new RuntimeEndpoint.Supervised(), Ipv4Cidr.parse("10.42.0.0/24"), Ipv4Cidr.parse("10.42.0.0/16"),
        Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2),
        Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  /** This config with another node name. */
  public KubeletConfig withNodeName(String name) {
    return new KubeletConfig(name, dataDir, runtime, defaultPodCidr, clusterCidr, nodeIp, nodeStatusInterval,
        leaseRenewInterval, relistInterval, initialBackOff, maxBackOff, podCidrFromCluster);
  }

  /** This config with the podCIDR assigned by the cluster ({@code true}) or chosen by the kubelet. */
  public KubeletConfig withPodCidrFromCluster(boolean fromCluster) {
    return new KubeletConfig(nodeName, dataDir, runtime, defaultPodCidr, clusterCidr, nodeIp, nodeStatusInterval,
        leaseRenewInterval, relistInterval, initialBackOff, maxBackOff, fromCluster);
  }

  /** The directory of a pod's container logs, as upstream names it: {@code pods/<namespace>_<name>_<uid>}. */
  public Path podLogDirectory(String namespace, String name, String uid) {
    return dataDir.resolve("pods").resolve(namespace + "_" + name + "_" + uid);
  }
}
