package dev.skiff.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
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

/**
 * The ReplicaSet controller alone against an in-process ApiServer on SQLite. No kubelet runs: the
 * test plays the kubelet by patching pods/status to Running and Ready ({@link TestCluster#markAllReady}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicaSetControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "rs";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(ReplicaSetController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static ReplicaSet replicaSet(String name, int replicas, int minReadySeconds) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(replicas).withMinReadySeconds(minReadySeconds)
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name, "tier", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
        .endSpec().build();
  }

  List<String> names(String app) {
    return podsOf(app).stream().map(p -> p.getMetadata().getName()).toList();
  }

  List<Pod> podsOf(String app) {
    return cluster.client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  @Test
  void createsPodsWithControllerRefsThenReportsReadyAndScalesDown() {
    ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(NS).resource(replicaSet("web", 3, 0)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(names("web")).hasSize(3));
    for (Pod p : podsOf("web")) {
      assertThat(p.getMetadata().getName()).startsWith("web-");
      var ref = OwnerReferences.controllerOf(p).orElseThrow();
      assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
      assertThat(ref.getKind()).isEqualTo("ReplicaSet");
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ReplicaSet now = cluster.client.apps().replicaSets().inNamespace(NS).withName("web").get();
      assertThat(now.getStatus().getReplicas()).isEqualTo(3);
      assertThat(now.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
      assertThat(now.getStatus().getObservedGeneration()).isEqualTo(now.getMetadata().getGeneration());
    });
    cluster.markAllReady(NS);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ReplicaSet now = cluster.client.apps().replicaSets().inNamespace(NS).withName("web").get();
      assertThat(now.getStatus().getReadyReplicas()).isEqualTo(3);
      assertThat(now.getStatus().getAvailableReplicas()).isEqualTo(3);
    });
    List<Event> events = cluster.client.v1().events().inNamespace(NS).list().getItems();
    assertThat(events).filteredOn(e -> "SuccessfulCreate".equals(e.getReason())
        && e.getMessage().startsWith("Created pod: web-")).hasSize(3);

    // one pod not ready: scaling down to 2 must delete exactly that one
    Pod unready = podsOf("web").get(1);
    cluster.client.pods().inNamespace(NS).withName(unready.getMetadata().getName()).editStatus(p -> {
      p.getStatus().getConditions().forEach(c -> c.setStatus("False"));
      return p;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.client.apps().replicaSets()
        .inNamespace(NS).withName("web").get().getStatus().getReadyReplicas()).isEqualTo(2));
    cluster.client.apps().replicaSets().inNamespace(NS).withName("web").scale(2);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(names("web")).hasSize(2));
    assertThat(podsOf("web")).extracting(p -> p.getMetadata().getName()).doesNotContain(unready.getMetadata().getName());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace(NS)
        .list().getItems()).anyMatch(e -> "SuccessfulDelete".equals(e.getReason())
            && e.getMessage().equals("Deleted pod: " + unready.getMetadata().getName())));
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
    for (String n : List.of("orphan-a", "orphan-b")) {
      cluster.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(n)
          .withLabels(Map.of("app", "adopt")).endMetadata().withNewSpec().addNewContainer().withName("c")
          .withImage("busybox").endContainer().endSpec().build()).create();
    }
    ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(NS).resource(replicaSet("adopt", 3, 0)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<Pod> pods = podsOf("adopt");
      assertThat(pods).hasSize(3);
      assertThat(pods).allMatch(p -> OwnerReferences.controllerOf(p)
          .map(r -> r.getUid().equals(rs.getMetadata().getUid())).orElse(false));
    });
    assertThat(podsOf("adopt")).extracting(p -> p.getMetadata().getName()).contains("orphan-a", "orphan-b");

    cluster.client.pods().inNamespace(NS).withName("orphan-a").edit(p -> {
      p.getMetadata().getLabels().put("app", "elsewhere");
      return p;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Pod released = cluster.client.pods().inNamespace(NS).withName("orphan-a").get();
      assertThat(OwnerReferences.of(released)).isEmpty();
      assertThat(names("adopt")).hasSize(3); // a replacement was created
    });
  }

  @Test
  void availabilityWaitsForMinReadySeconds() {
    cluster.client.apps().replicaSets().inNamespace(NS).resource(replicaSet("slow", 1, 2)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(names("slow")).hasSize(1));
    cluster.markAllReady(NS);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.client.apps().replicaSets()
        .inNamespace(NS).withName("slow").get().getStatus().getReadyReplicas()).isEqualTo(1));
    ReplicaSet early = cluster.client.apps().replicaSets().inNamespace(NS).withName("slow").get();
    assertThat(early.getStatus().getAvailableReplicas()).isIn(null, 0);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.client.apps().replicaSets()
        .inNamespace(NS).withName("slow").get().getStatus().getAvailableReplicas()).isEqualTo(1));
  }
}
