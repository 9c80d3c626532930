package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.storage.Store;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fabric8 kubernetes-client 8.0.0, a reference client, against an in-process ApiServer. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class Fabric8Test {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null));
    server.start();
    Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
    client = new KubernetesClientBuilder().withConfig(config).build();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build()).create();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    store.close();
  }

  @Test
  void versionAndCrud() {
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0+skiff");
    ConfigMap created = client.configMaps().inNamespace("f8").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("one").addToLabels("app", "a").endMetadata().addToData("k", "v").build()).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(client.configMaps().inNamespace("f8").withName("one").get().getData()).containsEntry("k", "v");
    assertThat(client.configMaps().inNamespace("f8").withLabel("app", "a").list().getItems()).hasSize(1);
    ConfigMap edited = client.configMaps().inNamespace("f8").withName("one").edit(c -> {
      c.getData().put("k2", "v2");
      return c;
    });
    assertThat(edited.getData()).containsEntry("k2", "v2");
    ConfigMap stale = created;
    stale.getData().put("k3", "v3");
    assertThatThrownBy(() -> client.configMaps().inNamespace("f8").resource(stale).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.configMaps().inNamespace("f8").withName("one").delete()).hasSize(1);
    assertThat(client.configMaps().inNamespace("f8").withName("one").get()).isNull();
  }

  @Test
  void informerSeesAddsUpdatesAndDeletes() {
    Set<String> added = ConcurrentHashMap.newKeySet();
    Map<String, String> updated = new ConcurrentHashMap<>();
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    client.configMaps().inNamespace("f8").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("pre").endMetadata().build()).create();
    try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("f8").inform(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap obj) {
            added.add(obj.getMetadata().getName());
          }

          @Override
          public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            if (newObj.getData() != null && newObj.getData().containsKey("x")) {
              updated.put(newObj.getMetadata().getName(), newObj.getData().get("x"));
            }
          }

          @Override
          public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            deleted.add(obj.getMetadata().getName());
          }
        })) {
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
      assertThat(added).contains("pre");
      client.configMaps().inNamespace("f8").resource(new ConfigMapBuilder()
          .withNewMetadata().withName("post").endMetadata().build()).create();
      client.configMaps().inNamespace("f8").withName("pre").edit(c -> new ConfigMapBuilder(c).addToData("x", "1").build());
      client.configMaps().inNamespace("f8").withName("post").delete();
      Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(added).contains("post");
        assertThat(updated).containsEntry("pre", "1");
        assertThat(deleted).contains("post");
      });
    }
  }

  @Test
  void deploymentsScaleThroughTheScaleSubresource() {
    Deployment d = client.apps().deployments().inNamespace("f8").resource(new DeploymentBuilder()
        .withNewMetadata().withName("api").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "api").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "api").endMetadata()
        .withNewSpec().addNewContainer().withName("api").withImage("busybox:1.36").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    Deployment scaled = client.apps().deployments().inNamespace("f8").withName("api").scale(4);
    assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
    assertThat(client.apps().deployments().inNamespace("f8").withName("api").get().getMetadata().getGeneration())
        .isEqualTo(2L);
  }
}
