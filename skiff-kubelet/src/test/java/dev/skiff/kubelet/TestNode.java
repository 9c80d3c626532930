package dev.skiff.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.kubelet.cni.Ipv4Cidr;
import dev.skiff.kubelet.cni.UnreachableRoute;
import dev.skiff.kubelet.cri.SandboxSummary;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real node for a test class: an in-process API server on SQLite, a fabric8 client, and a
 * kubelet with its own containerd under {@code dir/node}. Needs root. {@link #close()} deletes the
 * namespace's pods, waits for their sandboxes to go, stops the kubelet and containerd, and restores
 * the host (bridge, portmap chains, the safety route if the test added it).
 */
final class TestNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TestNode.class);

  final Path dir;
  final String node;
  final String namespace;
  final Store store;
  final ApiServer server;
  final KubernetesClient client;
  final KubeletConfig config;
  Kubelet kubelet;
  private final HostFootprint footprint;
  private final UnreachableRoute route;
  private final boolean routeExisted;

  /** Starts the node; {@code beforeKubelet} runs once the API server serves, before the kubelet starts. */
  TestNode(Path dir, String node, String namespace, ThrowingRunnable beforeKubelet) throws Exception {
    assertThat(new com.sun.security.auth.module.UnixSystem().getUid())
        .as("this test runs containers and must run as root").isZero();
    this.dir = dir;
    this.node = node;
    this.namespace = namespace;
    footprint = HostFootprint.before("skiff0");
    route = UnreachableRoute.forClusterCidr(Ipv4Cidr.parse("10.42.0.0/16"));
    routeExisted = route.present();
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("api"), "127.0.0.1", 0, store, null, null));
    server.start();
    client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    var defaults = KubeletConfig.defaults(dir.resolve("node"));
    config = new KubeletConfig(node, defaults.dataDir(), defaults.runtime(), defaults.defaultPodCidr(),
        defaults.clusterCidr(), Optional.of("127.0.0.1"), defaults.nodeStatusInterval(), Duration.ofSeconds(2),
        Duration.ofSeconds(1), defaults.initialBackOff(), defaults.maxBackOff());
    beforeKubelet.run();
    long begin = System.nanoTime();
    kubelet = new Kubelet(client, config);
    LOG.info("kubelet start (containerd, images, node registration): {} ms", (System.nanoTime() - begin) / 1_000_000);
  }

  /** Work done before the kubelet starts. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Override
  public void close() throws Exception {
    try {
      if (kubelet != null) {
        client.pods().inNamespace(namespace).withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> kubelet.cri().runtime().listPodSandboxes().isEmpty());
        for (SandboxSummary s : kubelet.cri().runtime().listPodSandboxes()) {
          LOG.warn("cleaning up sandbox {} left behind", s.id());
          kubelet.cri().runtime().stopPodSandbox(s.id());
          kubelet.cri().runtime().removePodSandbox(s.id());
        }
        kubelet.close();
        assertThat(HostFootprint.processesMentioning(dir.resolve("node").toString()))
            .as("containerd and shims stopped").isEmpty();
      }
    } finally {
      client.close();
      server.close();
      store.close();
      try {
        footprint.restore();
      } finally {
        if (!routeExisted) {
          route.remove();
        }
      }
    }
  }
}
