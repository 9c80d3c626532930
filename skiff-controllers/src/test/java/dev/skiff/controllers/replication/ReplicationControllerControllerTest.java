package dev.skiff.controllers.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The ReplicationController controller (the ReplicaSet sync over RCs) against an in-process ApiServer and kubectl. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplicationControllerControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "rc";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(ReplicationControllerController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static List<Pod> pods() {
    return cluster.client.pods().inNamespace(NS).withLabel("app", "old").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  @Test
  void keepsItsReplicasReportsStatusAndScalesWithKubectl() {
    ReplicationController rc = cluster.client.replicationControllers().inNamespace(NS).resource(
        new ReplicationControllerBuilder().withNewMetadata().withName("old").endMetadata()
            .withNewSpec().withReplicas(3).withSelector(Map.of("app", "old"))
            .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "old")).endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
            .endSpec().build()).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods()).hasSize(3));
    for (Pod p : pods()) {
      var ref = OwnerReferences.controllerOf(p).orElseThrow();
      assertThat(ref.getKind()).isEqualTo("ReplicationController");
      assertThat(ref.getApiVersion()).isEqualTo("v1");
      assertThat(ref.getUid()).isEqualTo(rc.getMetadata().getUid());
      assertThat(p.getMetadata().getName()).startsWith("old-");
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      cluster.markAllReady(NS);
      var s = cluster.client.replicationControllers().inNamespace(NS).withName("old").get().getStatus();
      assertThat(s.getReplicas()).isEqualTo(3);
      assertThat(s.getReadyReplicas()).isEqualTo(3);
      assertThat(s.getAvailableReplicas()).isEqualTo(3);
      assertThat(s.getObservedGeneration()).isEqualTo(1L);
    });

    String victim = pods().getFirst().getMetadata().getName();
    cluster.client.pods().inNamespace(NS).withName(victim).delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods()).hasSize(3)
        .noneMatch(p -> p.getMetadata().getName().equals(victim)));

    cluster.kubectl.run("-n", NS, "scale", "rc/old", "--replicas=1").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(pods()).hasSize(1);
      assertThat(cluster.client.replicationControllers().inNamespace(NS).withName("old").get().getStatus().getReplicas())
          .isEqualTo(1);
    });
    assertThat(cluster.client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "SuccessfulCreate".equals(e.getReason()) && "ReplicationController".equals(e.getInvolvedObject().getKind())
            && e.getSource().getComponent().equals(ReplicationControllerController.NAME));
  }
}
