package dev.skiff.cli;

import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.controllers.nodeipam.NodeIpamConfig;
import dev.skiff.informers.InformerSerialization;
import dev.skiff.informers.SharedInformerFactory;
import dev.skiff.kubelet.Kubelet;
import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.scheduler.wiring.SchedulerConfig;
import dev.skiff.scheduler.wiring.SchedulerService;
import dev.skiff.simulator.SimulatedNodes;
import dev.skiff.simulator.SimulatedNodesConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import dev.skiff.apiserver.pki.CertificateAuthority;
import dev.skiff.apiserver.pki.Credential;
import dev.skiff.kubelet.node.HostFacts;
import dev.skiff.kubelet.server.KubeletServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The components that run beside the API server in one {@code skiff server} process. Each is a
 * client of the API server over loopback HTTPS with the admin kubeconfig, exactly as it would be
 * from another machine (ARCHITECTURE.md), so any of them can later move out of process.
 *
 * <p>The scheduler, the controller manager and the simulated nodes read one set of informers
 * ({@link SharedInformerFactory}): each kind is listed, watched and cached once per process, not
 * once per component.
 *
 * <p>Closing stops them in the reverse order of their start, then the informers.
 */
final class ClusterComponents implements AutoCloseable {
  /** The {@code --disable} name of each component that can be turned off. */
  static final String SCHEDULER = "scheduler";

  static final String CONTROLLERS = "controllers";

  /** Names {@code --disable} accepts: the built components and those still to come. */
  static final Set<String> KNOWN =
      Set.of(SCHEDULER, CONTROLLERS, "proxy", "dns", "ingress", "metrics", "dashboard");

  /**
   * What to run.
   *
   * @param agent whether to run the node agent (kubelet) on this machine, under {@code
   *     dataDir/agent}
   */
  record Options(Set<String> disabled, int simulatedNodes, String identity, boolean agent,
      Path dataDir) {}

  private final KubernetesClient client;
  private final SharedInformerFactory informers;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  private ClusterComponents(KubernetesClient client) {
    this.client = client;
    this.informers = new SharedInformerFactory(client);
  }

  /** Starts every enabled component; on a failure, stops those already started and rethrows. */
  static ClusterComponents start(Path kubeconfig, Options options, PrintWriter out)
      throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    // one client for every component, decoding watch events in one pass (InformerSerialization)
    ClusterComponents components = new ClusterComponents(new KubernetesClientBuilder().withConfig(config)
        .withKubernetesSerialization(InformerSerialization.create()).build());
    // with a controller manager, node IPAM hands out podCIDRs; without one, nodes choose their own
    boolean cidrsFromCluster = !options.disabled().contains(CONTROLLERS);
    SimulatedNodesConfig simulated = options.simulatedNodes() > 0
        ? SimulatedNodesConfig.of(options.simulatedNodes()).withPodCidrFromCluster(cidrsFromCluster) : null;
    try {
      if (!options.disabled().contains(SCHEDULER)) {
        components.running.push(new SchedulerService(components.client,
            SchedulerConfig.defaults(options.identity()), components.informers));
        out.println("skiff: scheduler started (leader election on kube-system/kube-scheduler)");
      }
      if (!options.disabled().contains(CONTROLLERS)) {
        ControllerManagerConfig managerConfig = ControllerManagerConfig.defaults(options.identity());
        Path serviceAccountKey = options.dataDir().resolve("tls").resolve("service-account.key");
        if (Files.isRegularFile(serviceAccountKey)) {
          // the API server's signing key: the token controller fills legacy token Secrets with it
          managerConfig = managerConfig.withServiceAccountKeyFile(serviceAccountKey);
        }
        if (simulated != null) {
          // many simulated nodes need smaller ranges than the default /24: IPAM cuts what they expect
          managerConfig = managerConfig.withNodeIpam(new NodeIpamConfig(true, NodeIpamConfig.defaults().clusterCidr(),
              simulated.nodeCidrMaskSize()));
        }
        components.running.push(new ControllerManager(components.client, managerConfig, components.informers));
        out.println("skiff: controller manager started (leader election on"
            + " kube-system/kube-controller-manager)");
      }
      if (options.agent()) {
        KubeletConfig kubelet = KubeletConfig.defaults(options.dataDir().resolve("agent"))
            .withPodCidrFromCluster(cidrsFromCluster);
        out.printf("skiff: starting the node agent for node %s (containerd, images, CNI)...%n",
            kubelet.nodeName());
        out.flush();
        components.running.push(new Kubelet(components.client, kubelet,
            Optional.of(kubeletServer(options.dataDir(), kubelet))));
        out.printf("skiff: node %s registered%n", kubelet.nodeName());
      }
      if (simulated != null) {
        components.running.push(new SimulatedNodes(components.client, simulated, components.informers));
        out.printf("skiff: %d simulated nodes registering (sim-node-0001 ...)%n",
            options.simulatedNodes());
      }
      out.flush();
      return components;
    } catch (IOException | RuntimeException e) {
      components.close();
      throw e;
    }
  }

  /**
   * The kubelet's HTTPS endpoint (logs, exec, attach, port-forward) on upstream's port, with a
   * serving certificate from the cluster CA for the node's name, its address and loopback (issued
   * at every start, so a changed address is covered), accepting clients of the same CA.
   */
  private static KubeletServerConfig kubeletServer(Path dataDir, KubeletConfig kubelet) throws IOException {
    Path clusterTls = dataDir.resolve("tls");
    Path agentTls = dataDir.resolve("agent").resolve("tls");
    List<InetAddress> ips = new ArrayList<>(List.of(InetAddress.getLoopbackAddress()));
    Optional<String> nodeIp = kubelet.nodeIp().isPresent() ? kubelet.nodeIp() : HostFacts.primaryIpv4();
    if (nodeIp.isPresent()) {
      ips.add(InetAddress.getByName(nodeIp.get()));
    }
    new CertificateAuthority(Credential.read(clusterTls, "ca"))
        .issueServing(kubelet.nodeName(), List.of(kubelet.nodeName(), "localhost"), ips)
        .write(agentTls, "kubelet");
    return new KubeletServerConfig("0.0.0.0", KubeletServerConfig.DEFAULT_PORT, agentTls.resolve("kubelet.crt"),
        agentTls.resolve("kubelet.key"), clusterTls.resolve("ca.crt"));
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        System.err.println("skiff: a component did not stop cleanly: " + e);
      }
    }
    informers.close();
    client.close();
  }
}
