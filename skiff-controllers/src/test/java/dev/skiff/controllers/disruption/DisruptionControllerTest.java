package dev.skiff.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disruption controller keeps budgets' status from their pods (and their controllers' scale),
 * and the API's eviction subresource spends it: a drain can take pods only as fast as the budget
 * allows, as upstream.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DisruptionControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "pdb";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(DisruptionController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Pod pod(String name, String app, ReplicaSet owner) {
    var b = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", app).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec();
    if (owner != null) {
      b.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
          .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
          .endOwnerReference().endMetadata();
    }
    Pod created = cluster.client.pods().inNamespace(NS).resource(b.build()).create();
    cluster.client.pods().inNamespace(NS).withName(name).editStatus(p -> {
      p.getStatus().setPhase("Running");
      return p;
    });
    assertThat(cluster.markReady(cluster.client.pods().inNamespace(NS).withName(name).get())).isTrue();
    return created;
  }

  private static PodDisruptionBudget budget(String name) {
    return cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(name).get();
  }

  private static boolean evict(String pod) {
    Eviction e = new EvictionBuilder().withNewMetadata().withName(pod).withNamespace(NS).endMetadata().build();
    return cluster.client.pods().inNamespace(NS).withName(pod).evict(e);
  }

  @Test
  void aMinAvailableBudgetLetsEvictionsThroughOneAtATime() {
    for (int i = 0; i < 3; i++) {
      pod("web-" + i, "web", null);
    }
    cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName("web").endMetadata().withNewSpec().withMinAvailable(new IntOrString(2))
        .withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec().build()).create();
    PodDisruptionBudget counted = await().atMost(Duration.ofSeconds(30)).until(() -> budget("web"),
        b -> b.getStatus() != null && Integer.valueOf(1).equals(b.getStatus().getDisruptionsAllowed()));
    assertThat(counted.getStatus().getExpectedPods()).isEqualTo(3);
    assertThat(counted.getStatus().getCurrentHealthy()).isEqualTo(3);
    assertThat(counted.getStatus().getDesiredHealthy()).isEqualTo(2);
    assertThat(counted.getStatus().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("DisruptionAllowed");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("SufficientPods");
    });

    assertThat(evict("web-0")).as("the budget allows one").isTrue();
    assertThat(evict("web-1")).as("the budget is spent").isFalse();
    // the controller sees web-0 go and recounts: 2 healthy of 2 needed, nothing more allowed
    PodDisruptionBudget after = await().atMost(Duration.ofSeconds(30)).until(() -> budget("web"),
        b -> Integer.valueOf(2).equals(b.getStatus().getCurrentHealthy()));
    assertThat(after.getStatus().getDisruptionsAllowed()).isZero();
    assertThat(after.getStatus().getConditions().getFirst().getReason()).isEqualTo("InsufficientPods");
    assertThat(evict("web-1")).isFalse();

    // a replacement becomes ready: one disruption allowed again
    pod("web-3", "web", null);
    await().atMost(Duration.ofSeconds(30)).until(() -> budget("web"),
        b -> Integer.valueOf(1).equals(b.getStatus().getDisruptionsAllowed()));
    assertThat(evict("web-1")).isTrue();
  }

  @Test
  void aPercentageBudgetCountsTheControllersReplicas() {
    ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName("api").endMetadata().withNewSpec().withReplicas(4).withNewSelector()
        .addToMatchLabels("app", "api").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "api")
        .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    // only 3 of the 4 replicas exist and are ready
    for (int i = 0; i < 3; i++) {
      pod("api-" + i, "api", rs);
    }
    cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName("api").endMetadata().withNewSpec().withMaxUnavailable(new IntOrString("25%"))
        .withNewSelector().addToMatchLabels("app", "api").endSelector().endSpec().build()).create();
    PodDisruptionBudget counted = await().atMost(Duration.ofSeconds(30)).until(() -> budget("api"),
        b -> b.getStatus() != null && b.getStatus().getExpectedPods() != null && b.getStatus().getExpectedPods() == 4);
    assertThat(counted.getStatus().getDesiredHealthy()).isEqualTo(3);
    assertThat(counted.getStatus().getCurrentHealthy()).isEqualTo(3);
    assertThat(counted.getStatus().getDisruptionsAllowed()).as("one replica is already missing").isZero();
    assertThat(evict("api-0")).isFalse();
  }
}
