package dev.skiff.controllers.testing;

import dev.skiff.testkit.Kubectl;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * An in-process ApiServer on a real SQLite file, a fabric8 client and the real kubectl against it,
 * and a running {@link ControllerManager}. No kubelet runs: {@link #markReady} plays the kubelet
 * by writing pods/status, as a kubelet would after starting the containers.
 */
public final class TestCluster implements AutoCloseable {
  private final Store store;
  private final ApiServer server;
  public final KubernetesClient client;
  public final Kubectl kubectl;
  public final ControllerManager manager;
  /** The manager's configuration, for tests that start a second manager (a restart). */
  public final ControllerManagerConfig config;

  public TestCluster(Path dir, Set<String> controllers) throws Exception {
    this(dir, controllers, UnaryOperator.identity());
  }

  /** As {@link #TestCluster(Path, Set)}, with the manager's configuration changed by {@code tune}. */
  public TestCluster(Path dir, Set<String> controllers, UnaryOperator<ControllerManagerConfig> tune) throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
    server.start();
    Config clientConfig = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
    client = new KubernetesClientBuilder().withConfig(clientConfig)
        .withKubernetesSerialization(dev.skiff.informers.InformerSerialization.create()).build();
    kubectl = new Kubectl(server.kubeconfig());
    var defaults = ControllerManagerConfig.defaults("test-" + ProcessHandle.current().pid());
    config = tune.apply(new ControllerManagerConfig(controllers, 3, true, defaults.identity(),
        defaults.leaseDuration(), defaults.renewDeadline(), defaults.retryPeriod()));
    manager = new ControllerManager(client, config);
  }

  public void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  /**
   * Plays the kubelet for one pod: phase Running with Ready=True since now. Returns false when the
   * pod was gone or changed meanwhile (the next round retries).
   */
  public boolean markReady(Pod pod) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    List<PodCondition> conditions = List.of(
        new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime(now).build(),
        new PodConditionBuilder().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).build());
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setConditions(conditions);
            p.getStatus().setStartTime(now);
            return p;
          });
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** Marks every active, not yet ready pod of {@code namespace} ready; returns how many it marked. */
  public int markAllReady(String namespace) {
    int marked = 0;
    for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
      boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
          .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready && p.getMetadata().getDeletionTimestamp() == null && markReady(p)) {
        marked++;
      }
    }
    return marked;
  }

  @Override
  public void close() {
    manager.close();
    client.close();
    server.close();
    store.close();
  }
}
