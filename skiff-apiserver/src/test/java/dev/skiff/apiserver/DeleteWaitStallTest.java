package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * While the real kubectl waits for a deletion held by a finalizer ({@code kubectl delete}'s default
 * {@code --wait=true} watches the object), other clients of the same server must be served promptly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeleteWaitStallTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static KubernetesClient client;
  static Kubectl kubectl;
  static final List<SharedIndexInformer<?>> informers = new java.util.ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null));
    server.start();
    client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("stall").endMetadata().build())
        .create();
    kubectl = new Kubectl(server.kubeconfig());
    // informers as a controller manager runs them, on the same client
    informers.add(client.configMaps().inAnyNamespace().inform());
    informers.add(client.pods().inAnyNamespace().inform());
    informers.add(client.namespaces().inform());
    informers.add(client.apps().deployments().inAnyNamespace().inform());
    informers.add(client.apps().replicaSets().inAnyNamespace().inform());
    informers.add(client.services().inAnyNamespace().inform());
  }

  @AfterAll
  static void stop() {
    informers.forEach(SharedIndexInformer::close);
    client.close();
    server.close();
    store.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"background", "foreground", "orphan"})
  void otherClientsAreServedWhileKubectlWaitsForADeletion(String cascade) throws Exception {
    client.configMaps().inNamespace("stall").resource(new ConfigMapBuilder().withNewMetadata()
        .withName("held-" + cascade).withFinalizers("example.com/hold").endMetadata().build()).create();
    CompletableFuture<Kubectl.Result> delete = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> delete.complete(kubectl.run(Duration.ofSeconds(60),
        "delete", "configmap", "held-" + cascade, "-n", "stall", "--timeout=60s", "--cascade=" + cascade)));
    try {
      // kubectl runs as the controllers' tests run it: on a thread of its own, its output read by virtual threads.
      // It has marked the object for deletion and is now watching it
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.configMaps().inNamespace("stall")
          .withName("held-" + cascade).get().getMetadata().getDeletionTimestamp() != null);
      Thread.sleep(500);
      long begin = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        client.configMaps().inNamespace("stall").resource(new ConfigMapBuilder().withNewMetadata()
            .withName("during-" + cascade + i).endMetadata().addToData("k", "v").build()).create();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - begin);
      assertThat(delete.isDone()).as("kubectl ended before the finalizer went").isFalse();
      assertThat(took).as("5 creates while kubectl waits").isLessThan(Duration.ofSeconds(3));

      // releasing the finalizer ends kubectl's wait
      client.configMaps().inNamespace("stall").withName("held-" + cascade)
          .edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());
      delete.get(30, TimeUnit.SECONDS).assertOk();
    } finally {
      if (!delete.isDone()) {
        client.configMaps().inNamespace("stall").withName("held-" + cascade).edit(
            cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());
      }
    }
  }
}
