package dev.skiff.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.ControllerRegistry;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The garbage collector with the ReplicaSet and Deployment controllers, against an in-process
 * ApiServer on SQLite and the real kubectl: background, orphan and foreground cascades.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GarbageCollectorTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "gc";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, ControllerRegistry.names());
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Deployment deploy(String name, int replicas) {
    Deployment d = cluster.client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods(name)).hasSize(replicas));
    return d;
  }

  static List<Pod> pods(String app) {
    return cluster.client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  static List<ReplicaSet> replicaSets(String app) {
    return cluster.client.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  @Test
  void kubectlDeleteRemovesReplicaSetsAndPods() {
    deploy("bg", 3);
    assertThat(replicaSets("bg")).hasSize(1);
    cluster.kubectl.run("-n", NS, "delete", "deployment", "bg", "--wait=false").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(replicaSets("bg")).isEmpty();
      assertThat(pods("bg")).isEmpty();
    });
  }

  @Test
  void cascadeOrphanLeavesReplicaSetsWithoutOwnerReferences() {
    deploy("orph", 2);
    cluster.kubectl.run("-n", NS, "delete", "deployment", "orph", "--cascade=orphan", "--wait=false").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("orph").get()).isNull();
      List<ReplicaSet> left = replicaSets("orph");
      assertThat(left).hasSize(1);
      assertThat(OwnerReferences.of(left.getFirst())).isEmpty();
    });
    // and they stay: nothing collects them later, and their pods stay with them
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(replicaSets("orph")).hasSize(1);
      assertThat(pods("orph")).hasSize(2);
    });
  }

  @Test
  void foregroundDeletionWaitsForBlockingDependents() {
    deploy("fg", 2);
    Pod held = pods("fg").getFirst();
    cluster.client.pods().inNamespace(NS).withName(held.getMetadata().getName()).edit(p -> {
      p.getMetadata().setFinalizers(new ArrayList<>(List.of("skiff.dev/test-hold")));
      return p;
    });
    cluster.kubectl.run("-n", NS, "delete", "deployment", "fg", "--cascade=foreground", "--wait=false").assertOk();
    // the held pod cannot go, so its ReplicaSet and the Deployment wait, marked foregroundDeletion
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Pod p = cluster.client.pods().inNamespace(NS).withName(held.getMetadata().getName()).get();
      assertThat(p.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(pods("fg")).hasSize(1);
    });
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      Deployment d = cluster.client.apps().deployments().inNamespace(NS).withName("fg").get();
      assertThat(d).isNotNull();
      assertThat(d.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(d.getMetadata().getFinalizers()).contains("foregroundDeletion");
      assertThat(replicaSets("fg")).hasSize(1);
    });
    cluster.client.pods().inNamespace(NS).withName(held.getMetadata().getName()).edit(p -> {
      p.getMetadata().setFinalizers(List.of());
      return p;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(pods("fg")).isEmpty();
      assertThat(replicaSets("fg")).isEmpty();
      assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("fg").get()).isNull();
    });
  }

  @Test
  void collectsAnyServedKindByOwnerReference() {
    ConfigMap owner = cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("owner").endMetadata().build()).create();
    cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("dependent")
        .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
        .withUid(owner.getMetadata().getUid()).endOwnerReference().endMetadata().build()).create();
    // a dependent whose owner never existed is collected too
    cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("stray")
        .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("ghost")
        .withUid("00000000-0000-0000-0000-000000000001").endOwnerReference().endMetadata().build()).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.client.configMaps().inNamespace(NS).withName("stray").get()).isNull());
    assertThat(cluster.client.configMaps().inNamespace(NS).withName("dependent").get()).isNotNull();
    cluster.client.configMaps().inNamespace(NS).withName("owner").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.client.configMaps().inNamespace(NS).withName("dependent").get()).isNull());
  }
}
