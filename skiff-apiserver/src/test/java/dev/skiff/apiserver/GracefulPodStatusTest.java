package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bound pod in its grace period stays while its kubelet posts status, and goes when the kubelet
 * deletes it with grace 0 (upstream's shouldDeleteDuringUpdate deletes on update only at grace 0).
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class GracefulPodStatusTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null));
    server.start();
    client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("g").endMetadata().build()).create();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    store.close();
  }

  @Test
  void statusPostsDuringTheGracePeriodKeepThePod() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("g").endMetadata()
        .withNewSpec().withNodeName("n1").withTerminationGracePeriodSeconds(30L)
        .addNewContainer().withName("c").withImage("img:1").endContainer().endSpec().build();
    client.pods().inNamespace("g").resource(pod).create();
    client.pods().inNamespace("g").withName("p").delete();
    Pod terminating = client.pods().inNamespace("g").withName("p").get();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);

    client.pods().inNamespace("g").withName("p").subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Failed\"}}");
    Pod after = client.pods().inNamespace("g").withName("p").get();
    assertThat(after).as("a status post in the grace period must not delete the pod").isNotNull();
    assertThat(after.getStatus().getPhase()).isEqualTo("Failed");

    client.pods().inNamespace("g").withName("p").withGracePeriod(0).delete();
    assertThat(client.pods().inNamespace("g").withName("p").get()).isNull();
  }
}
