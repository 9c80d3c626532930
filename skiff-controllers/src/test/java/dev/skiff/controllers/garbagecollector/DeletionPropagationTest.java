package dev.skiff.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server's side of cascading deletion, with no controller running: kubectl's
 * {@code --cascade=orphan|foreground} leave the object terminating with the matching finalizer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeletionPropagationTest {
  @TempDir static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of());
    cluster.createNamespace("dp");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void terminatingObjectsStillTakeStatusUpdates() {
    var d = cluster.client.apps().deployments().inNamespace("dp").resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
        .withNewMetadata().withName("term").endMetadata().withNewSpec().withReplicas(1)
        .withNewSelector().withMatchLabels(java.util.Map.of("app", "term")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(java.util.Map.of("app", "term")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    cluster.kubectl.run("-n", "dp", "delete", "deployment", "term", "--cascade=orphan", "--wait=false").assertOk();
    for (int i = 0; i < 5; i++) {
      var now = cluster.client.apps().deployments().inNamespace("dp").withName("term").get();
      assertThat(now.getMetadata().getDeletionTimestamp()).isNotNull();
      now.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withObservedGeneration((long) i).build());
      var updated = cluster.client.apps().deployments().inNamespace("dp").resource(now).updateStatus();
      assertThat(updated.getStatus().getObservedGeneration()).isEqualTo((long) i);
    }
  }

  @Test
  void cascadePoliciesSetTheirFinalizers() {
    for (String name : new String[] {"orphan", "foreground", "background"}) {
      cluster.client.configMaps().inNamespace("dp").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
          .endMetadata().build()).create();
      cluster.kubectl.run("-n", "dp", "delete", "configmap", name, "--cascade=" + name, "--wait=false").assertOk();
    }
    ConfigMap orphan = cluster.client.configMaps().inNamespace("dp").withName("orphan").get();
    assertThat(orphan.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(orphan.getMetadata().getFinalizers()).containsExactly("orphan");
    ConfigMap foreground = cluster.client.configMaps().inNamespace("dp").withName("foreground").get();
    assertThat(foreground.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(foreground.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
    assertThat(cluster.client.configMaps().inNamespace("dp").withName("background").get()).isNull();
    // removing the finalizer completes the deletion
    cluster.client.configMaps().inNamespace("dp").withName("orphan").edit(c -> {
      c.getMetadata().setFinalizers(java.util.List.of());
      return c;
    });
    assertThat(cluster.client.configMaps().inNamespace("dp").withName("orphan").get()).isNull();
  }
}
