package dev.skiff.kubelet.node;

import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.cni.Ipv4Cidr;
import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.cri.ImageInfo;
import dev.skiff.kubelet.Ticker;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this node's Node object and posts its status, as upstream's kubelet_node_status.go
 * does: capacity and allocatable from the host, addresses, nodeInfo, the four conditions with
 * upstream's reasons, and the images the runtime holds.
 *
 * <p>The status is computed every second and posted when it changed (heartbeat times aside) or
 * when {@link KubeletConfig#nodeStatusInterval()} has passed since the last post. Owns one
 * virtual thread; {@link #close()} stops it.
 */
public final class NodeStatusReporter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeStatusReporter.class);
  /** Upstream's default maxPods. */
  public static final int MAX_PODS = 110;
  /** Upstream's hard eviction thresholds: memory.available below 100Mi, nodefs.available below 10 %. */
  private static final long MEMORY_EVICTION_BYTES = 100L * 1024 * 1024;
  private static final double STORAGE_EVICTION_FRACTION = 0.10;
  /** PIDPressure when fewer than this share of pid_max is left. */
  private static final double PID_EVICTION_FRACTION = 0.05;
  private static final Duration TICK = Duration.ofSeconds(1);
  /** How long a kubelet whose podCIDR comes from the cluster waits for it. */
  static final Duration POD_CIDR_WAIT = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final KubeletConfig config;
  private final CriConnection cri;
  private final String nodeIp;
  private final int kubeletPort;
  private final Ticker ticker;
  private NodeStatus lastPosted;
  private Instant lastPostedAt = Instant.EPOCH;

  /**
   * Registers the Node (creating it, or filling in a missing podCIDR) and starts posting status.
   */
  public NodeStatusReporter(KubernetesClient client, KubeletConfig config, CriConnection cri) throws IOException {
    this(client, config, cri, 10250);
  }

  /**
   * As {@link #NodeStatusReporter(KubernetesClient, KubeletConfig, CriConnection)}, reporting
   * {@code kubeletPort} as {@code status.daemonEndpoints.kubeletEndpoint.Port}.
   */
  public NodeStatusReporter(KubernetesClient client, KubeletConfig config, CriConnection cri, int kubeletPort)
      throws IOException {
    this.kubeletPort = kubeletPort;
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.cri = Objects.requireNonNull(cri, "cri");
    this.nodeIp = config.nodeIp().or(() -> {
      try {
        return HostFacts.primaryIpv4();
      } catch (IOException e) {
        return Optional.empty();
      }
    }).orElse("127.0.0.1");
    register();
    postIfChanged(true);
    this.ticker = new Ticker("node-status", TICK, () -> postIfChanged(false));
  }

  /** The address the node reports as InternalIP, which pods get as hostIP. */
  public String nodeIp() {
    return nodeIp;
  }

  /**
   * The pod CIDR: the Node's spec.podCIDR. A kubelet that chooses its own has written
   * {@link KubeletConfig#defaultPodCidr()} there at registration when it was empty; one whose
   * podCIDR comes from the cluster waits (polling once a second, for at most
   * {@link #POD_CIDR_WAIT}) until the node-ipam-controller has set it.
   */
  public Ipv4Cidr podCidr() {
    long deadline = System.nanoTime() + POD_CIDR_WAIT.toNanos();
    boolean logged = false;
    while (true) {
      Node node = client.nodes().withName(config.nodeName()).get();
      String cidr = node == null || node.getSpec() == null ? null : node.getSpec().getPodCIDR();
      if (cidr != null && !cidr.isEmpty()) {
        return Ipv4Cidr.parse(cidr);
      }
      if (!config.podCidrFromCluster()) {
        return config.defaultPodCidr();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node " + config.nodeName() + " got no podCIDR within " + POD_CIDR_WAIT
            + "; is the controller manager's node-ipam-controller running?");
      }
      if (!logged) {
        LOG.info("waiting for the cluster (node-ipam-controller) to assign a podCIDR to node {}", config.nodeName());
        logged = true;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a podCIDR", e);
      }
    }
  }

  private void register() {
    Node existing = client.nodes().withName(config.nodeName()).get();
    if (existing == null) {
      NodeBuilder node = new NodeBuilder()
          .withNewMetadata().withName(config.nodeName()).withLabels(labels()).endMetadata();
      if (!config.podCidrFromCluster()) {
        node.withNewSpec().withPodCIDR(config.defaultPodCidr().toString())
            .withPodCIDRs(config.defaultPodCidr().toString()).endSpec();
      }
      try {
        client.nodes().resource(node.build()).create();
        LOG.info("registered node {} with podCIDR {}", config.nodeName(),
            config.podCidrFromCluster() ? "from the cluster" : config.defaultPodCidr());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = client.nodes().withName(config.nodeName()).get();
      }
    }
    // a node that exists keeps its podCIDR (immutable once set) and gains the kubelet's labels
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("labels", labels()));
    if (!config.podCidrFromCluster() && (existing.getSpec() == null || existing.getSpec().getPodCIDR() == null
        || existing.getSpec().getPodCIDR().isEmpty())) {
      patch.put("spec", Map.of("podCIDR", config.defaultPodCidr().toString(),
          "podCIDRs", List.of(config.defaultPodCidr().toString())));
    }
    client.nodes().withName(config.nodeName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    LOG.info("node {} already registered; updated it", config.nodeName());
  }

  private Map<String, String> labels() {
    return Map.of("kubernetes.io/hostname", config.nodeName(), "kubernetes.io/os", "linux",
        "kubernetes.io/arch", "amd64", "beta.kubernetes.io/os", "linux", "beta.kubernetes.io/arch", "amd64");
  }

  private synchronized void postIfChanged(boolean force) throws IOException {
    Instant now = Instant.now();
    NodeStatus status = compute(now);
    boolean due = Duration.between(lastPostedAt, now).compareTo(config.nodeStatusInterval()) >= 0;
    if (!force && !due && withoutHeartbeats(status).equals(withoutHeartbeats(lastPosted))) {
      return;
    }
    client.nodes().withName(config.nodeName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    lastPosted = status;
    lastPostedAt = now;
  }

  private static NodeStatus withoutHeartbeats(NodeStatus status) {
    if (status == null) {
      return null;
    }
    NodeStatus copy = new NodeStatusBuilder(status).build();
    copy.setConditions(status.getConditions().stream()
        .map(c -> new NodeCondition(null, null, c.getMessage(), c.getReason(), c.getStatus(), c.getType()))
        .toList());
    return copy;
  }

  NodeStatus compute(Instant now) throws IOException {
    HostFacts host = HostFacts.read(config.dataDir());
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(Integer.toString(host.cpus())));
    capacity.put("memory", new Quantity(host.memoryBytes() / 1024 + "Ki"));
    capacity.put("pods", new Quantity(Integer.toString(MAX_PODS)));
    capacity.put("ephemeral-storage", new Quantity(host.storageBytes() / 1024 + "Ki"));
    // upstream subtracts the hard eviction threshold from memory and nothing else by default
    Map<String, Quantity> allocatable = new LinkedHashMap<>(capacity);
    allocatable.put("memory", new Quantity((host.memoryBytes() - MEMORY_EVICTION_BYTES) / 1024 + "Ki"));
    allocatable.put("ephemeral-storage",
        new Quantity(Long.toString((long) (host.storageBytes() * (1 - STORAGE_EVICTION_FRACTION)))));

    var version = cri.runtime().version(Duration.ofSeconds(5));
    Map<String, Boolean> runtime = cri.runtime().conditions();
    List<String> notReady = new ArrayList<>();
    if (!runtime.getOrDefault("RuntimeReady", false)) {
      notReady.add("container runtime is down");
    }
    if (!runtime.getOrDefault("NetworkReady", false)) {
      notReady.add("container runtime network not ready: NetworkReady=false");
    }
    String t = now.toString();
    List<NodeCondition> conditions = List.of(
        condition("MemoryPressure", host.memoryAvailableBytes() < MEMORY_EVICTION_BYTES,
            "KubeletHasInsufficientMemory", "kubelet has insufficient memory available",
            "KubeletHasSufficientMemory", "kubelet has sufficient memory available", t),
        condition("DiskPressure", host.storageAvailableBytes() < host.storageBytes() * STORAGE_EVICTION_FRACTION,
            "KubeletHasDiskPressure", "kubelet has disk pressure",
            "KubeletHasNoDiskPressure", "kubelet has no disk pressure", t),
        condition("PIDPressure", host.pidMax() - host.processes() < host.pidMax() * PID_EVICTION_FRACTION,
            "KubeletHasInsufficientPID", "kubelet has insufficient PID available",
            "KubeletHasSufficientPID", "kubelet has sufficient PID available", t),
        notReady.isEmpty()
            ? new NodeCondition(t, transition("Ready", "True", t), "kubelet is posting ready status",
                "KubeletReady", "True", "Ready")
            : new NodeCondition(t, transition("Ready", "False", t), String.join(", ", notReady),
                "KubeletNotReady", "False", "Ready"));

    List<ContainerImage> images = cri.images().listImages().stream()
        .map(NodeStatusReporter::image).toList();
    return new NodeStatusBuilder()
        .withCapacity(capacity)
        .withAllocatable(allocatable)
        .withConditions(conditions)
        .withAddresses(new NodeAddress(nodeIp, "InternalIP"), new NodeAddress(config.nodeName(), "Hostname"))
        .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint().endDaemonEndpoints()
        .withNewNodeInfo()
        .withArchitecture("amd64")
        .withOperatingSystem("linux")
        .withKernelVersion(host.kernelVersion())
        .withOsImage(host.osImage())
        .withMachineID(host.machineId())
        .withSystemUUID(host.machineId())
        .withBootID(host.bootId())
        .withContainerRuntimeVersion(version.runtimeName() + "://" + version.runtimeVersion())
        .withKubeletVersion(KubeletConfig.KUBELET_VERSION)
        .withKubeProxyVersion("")
        .endNodeInfo()
        .withImages(images)
        .build();
  }

  private NodeCondition condition(String type, boolean pressure, String trueReason, String trueMessage,
      String falseReason, String falseMessage, String now) {
    String status = pressure ? "True" : "False";
    return new NodeCondition(now, transition(type, status, now), pressure ? trueMessage : falseMessage,
        pressure ? trueReason : falseReason, status, type);
  }

  /** The condition's last transition time: kept while its status stays as last posted. */
  private String transition(String type, String status, String now) {
    if (lastPosted == null) {
      return now;
    }
    return lastPosted.getConditions().stream()
        .filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
        .map(NodeCondition::getLastTransitionTime)
        .findFirst().orElse(now);
  }

  private static ContainerImage image(ImageInfo info) {
    List<String> names = new ArrayList<>(info.repoDigests());
    names.addAll(info.repoTags());
    return new ContainerImage(names, info.size());
  }

  @Override
  public void close() {
    ticker.close();
  }
}
