package dev.skiff.kubelet;

import dev.skiff.kubelet.cni.BridgeNetwork;
import dev.skiff.kubelet.cni.UnreachableRoute;
import dev.skiff.kubelet.containerd.ContainerdConfig;
import dev.skiff.kubelet.containerd.ContainerdSupervisor;
import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.image.BusyboxImages;
import dev.skiff.kubelet.image.ImageImporter;
import dev.skiff.kubelet.node.NodeLeaseHeartbeat;
import dev.skiff.kubelet.node.NodeStatusReporter;
import dev.skiff.kubelet.pods.PodWorkers;
import dev.skiff.kubelet.server.KubeletServer;
import dev.skiff.kubelet.server.KubeletServerConfig;
import dev.skiff.kubelet.status.PodStatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skiff's node agent: registers the Node, keeps its Lease and status fresh, and runs the pods the
 * API server binds to it through containerd.
 *
 * <p>Start-up order: the container runtime (containerd started under the data dir with Skiff's
 * busybox and pause images imported, or an attached one), the cluster CIDR's unreachable safety
 * route, Node registration (which settles the podCIDR), the CNI bridge config for that podCIDR,
 * then status, Lease and pod workers. {@link #close()} stops them in reverse; pods keep running
 * (as they do across an upstream kubelet restart) unless containerd is the kubelet's own, whose
 * containers' shims then outlive it until the next start.
 */
public final class Kubelet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
  private static final String BRIDGE = "skiff0";

  private final KubeletConfig config;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private final CriConnection cri;
  private final NodeStatusReporter nodeStatus;
  private final PodWorkers pods;

  public Kubelet(KubernetesClient client, KubeletConfig config) throws IOException {
    this(client, config, Optional.empty());
  }

  /**
   * A kubelet that also serves logs, exec, attach and port-forward over HTTPS as {@code server}
   * says (started right after the runtime, so that the Node reports its port).
   */
  public Kubelet(KubernetesClient client, KubeletConfig config, Optional<KubeletServerConfig> server)
      throws IOException {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(server, "server");
    this.config = Objects.requireNonNull(config, "config");
    try {
      long begin = System.nanoTime();
      Path socket;
      Path cniConfDir;
      switch (config.runtime()) {
        case KubeletConfig.RuntimeEndpoint.Supervised() -> {
          var images = BusyboxImages.debian();
          var containerdConfig = ContainerdConfig.debianDefaults(config.dataDir().resolve("containerd"),
              images.pauseReference());
          var containerd = ContainerdSupervisor.start(containerdConfig, Duration.ofSeconds(30));
          owned.push(containerd);
          Path archive = containerdConfig.dataDir().resolve("skiff-images.tar");
          images.writeLayout(archive);
          ImageImporter.forSocket(containerd.socket()).importArchive(archive);
          socket = containerd.socket();
          cniConfDir = containerdConfig.cniConfDir();
        }
        case KubeletConfig.RuntimeEndpoint.Attached(Path s, Path confDir) -> {
          socket = s;
          cniConfDir = confDir;
        }
      }
      this.cri = CriConnection.open(socket, Duration.ofMinutes(1));
      owned.push(cri);
      new dev.skiff.kubelet.image.NodeImages(config.dataDir()).importAll(ImageImporter.forSocket(socket));
      UnreachableRoute.forClusterCidr(config.clusterCidr()).ensure();
      int kubeletPort = KubeletServerConfig.DEFAULT_PORT;
      if (server.isPresent()) {
        var httpServer = new KubeletServer(server.get(), cri.runtime());
        owned.push(httpServer);
        kubeletPort = httpServer.port();
      }
      this.nodeStatus = new NodeStatusReporter(client, config, cri, kubeletPort);
      owned.push(nodeStatus);
      var podCidr = nodeStatus.podCidr();
      if (!config.clusterCidr().overlaps(podCidr)) {
        throw new IOException("the Node's podCIDR " + podCidr + " lies outside the cluster CIDR " + config.clusterCidr());
      }
      Files.createDirectories(cniConfDir);
      new BridgeNetwork("skiff", BRIDGE, podCidr, config.dataDir().resolve("cni").resolve("ipam")).writeTo(cniConfDir);
      owned.push(new NodeLeaseHeartbeat(client, config.nodeName(), config.leaseRenewInterval()));
      this.pods = new PodWorkers(client, config, cri, new PodStatusWriter(client), nodeStatus.nodeIp());
      owned.push(pods);
      LOG.info("kubelet for node {} ready in {} ms (podCIDR {}, CRI {})", config.nodeName(),
          (System.nanoTime() - begin) / 1_000_000, podCidr, socket);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The CRI connection the kubelet uses (tests and diagnostics look at the runtime through it). */
  public CriConnection cri() {
    return cri;
  }

  /** The node this kubelet runs. */
  public String nodeName() {
    return config.nodeName();
  }

  @Override
  public void close() {
    while (!owned.isEmpty()) {
      try {
        owned.pop().close();
      } catch (Exception e) {
        LOG.warn("closing a kubelet part failed: {}", e.toString());
      }
    }
  }
}
