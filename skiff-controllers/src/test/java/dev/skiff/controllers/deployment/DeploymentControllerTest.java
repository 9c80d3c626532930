package dev.skiff.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.Kubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The Deployment and ReplicaSet controllers against an in-process ApiServer on SQLite, driven
 * by fabric8 and the real kubectl. No kubelet runs: the test plays the kubelet ({@link Kubelet})
 * by patching pods/status to Running and Ready, one pod at a time, so a rollout takes many
 * observable steps.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DeploymentControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "apps";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(ReplicaSetController.NAME, DeploymentController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static boolean ready(Pod p) {
    return Kubelet.ready(p);
  }

  static List<ReplicaSet> replicaSetsOf(Deployment d) {
    return cluster.client.apps().replicaSets().inNamespace(NS).list().getItems().stream()
        .filter(rs -> OwnerReferences.controllerOf(rs).map(r -> r.getUid().equals(d.getMetadata().getUid())).orElse(false))
        .toList();
  }

  static List<Pod> activePods(String app) {
    return cluster.client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox:1").endContainer().endSpec().endTemplate()
        .endSpec().build();
  }

  /**
   * Polls until {@code kubectl rollout status} would finish, checking at every observed step that
   * the ReplicaSets never ask for more than replicas+maxSurge pods and that ready pods never drop
   * below replicas-maxUnavailable. Returns how many distinct steps it saw.
   */
  static int watchRollout(Deployment d, int replicas, int maxSurge, int maxUnavailable) throws Exception {
    List<String> steps = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      List<ReplicaSet> rss = replicaSetsOf(d);
      int specSum = rss.stream().mapToInt(rs -> rs.getSpec().getReplicas()).sum();
      long readyPods = activePods(d.getMetadata().getName()).stream().filter(DeploymentControllerTest::ready).count();
      assertThat(specSum).as("ReplicaSets' replicas at step %d", steps.size()).isLessThanOrEqualTo(replicas + maxSurge);
      assertThat(readyPods).as("ready pods at step %d", steps.size()).isGreaterThanOrEqualTo(replicas - maxUnavailable);
      String step = rss.stream().map(rs -> rs.getMetadata().getName() + "=" + rs.getSpec().getReplicas())
          .sorted().toList() + " ready=" + readyPods;
      if (steps.isEmpty() || !steps.getLast().equals(step)) {
        steps.add(step);
      }
      Deployment now = cluster.client.apps().deployments().inNamespace(NS).withName(d.getMetadata().getName()).get();
      var s = now.getStatus();
      if (s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= now.getMetadata().getGeneration()
          && n(s.getUpdatedReplicas()) == replicas && n(s.getReplicas()) == replicas && n(s.getAvailableReplicas()) == replicas) {
        return steps.size();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("rollout did not finish; steps: " + steps);
  }

  static int n(Integer v) {
    return v == null ? 0 : v;
  }

  @Test
  void rollsOutRollsBackAndScales() throws Exception {
    Deployment d = cluster.client.apps().deployments().inNamespace(NS).resource(deployment("web", 5)).create();
    try (Kubelet kubelet = new Kubelet(cluster, NS, Duration.ofMillis(100))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(replicaSetsOf(d)).hasSize(1));
      ReplicaSet first = replicaSetsOf(d).getFirst();
      String hash = first.getMetadata().getLabels().get(PodTemplateHash.LABEL);
      assertThat(first.getMetadata().getName()).isEqualTo("web-" + hash);
      assertThat(first.getSpec().getSelector().getMatchLabels()).containsEntry(PodTemplateHash.LABEL, hash);
      assertThat(first.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(PodTemplateHash.LABEL, hash);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(activePods("web")).hasSize(5));
      watchRollout(d, 5, 5, 5); // the first rollout starts from nothing
      var status = cluster.kubectl.run(Duration.ofSeconds(60), "-n", NS, "rollout", "status", "deployment/web", "--timeout=50s");
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      assertThat(status.stdout()).contains("successfully rolled out");
      Deployment done = cluster.client.apps().deployments().inNamespace(NS).withName("web").get();
      assertThat(done.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "1");
      assertThat(DeploymentConditions.get(done.getStatus(), DeploymentConditions.AVAILABLE).orElseThrow().getReason())
          .isEqualTo(DeploymentConditions.MINIMUM_AVAILABLE);
      assertThat(DeploymentConditions.get(done.getStatus(), DeploymentConditions.PROGRESSING).orElseThrow().getReason())
          .isEqualTo(DeploymentConditions.NEW_RS_AVAILABLE);
      assertThat(cluster.client.v1().events().inNamespace(NS).list().getItems()).anyMatch(e ->
          "ScalingReplicaSet".equals(e.getReason()) && e.getMessage().equals("Scaled up replica set " + first.getMetadata().getName() + " from 0 to 5"));

      // a template change: defaults 25%/25% of 5 are surge 2 (rounded up), unavailable 1 (rounded down)
      cluster.kubectl.run("-n", NS, "set", "image", "deployment/web", "c=busybox:2").assertOk();
      int steps = watchRollout(d, 5, 2, 1);
      assertThat(steps).as("a rolling update in several steps").isGreaterThan(3);
      assertThat(cluster.kubectl.run(Duration.ofSeconds(60), "-n", NS, "rollout", "status", "deployment/web", "--timeout=50s")
          .exitCode()).isZero();
      List<ReplicaSet> two = replicaSetsOf(d);
      assertThat(two).hasSize(2);
      ReplicaSet second = two.stream().filter(rs -> !rs.getMetadata().getUid().equals(first.getMetadata().getUid())).findFirst().orElseThrow();
      assertThat(second.getSpec().getReplicas()).isEqualTo(5);
      assertThat(second.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "2");
      assertThat(activePods("web")).allMatch(p -> p.getSpec().getContainers().getFirst().getImage().equals("busybox:2"));

      // kubectl rollout undo patches the old template back; the first ReplicaSet takes revision 3
      cluster.kubectl.run("-n", NS, "rollout", "undo", "deployment/web").assertOk();
      watchRollout(d, 5, 2, 1);
      assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate()
          .getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:1");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        List<ReplicaSet> back = replicaSetsOf(d);
        assertThat(back).hasSize(2);
        ReplicaSet restored = back.stream().filter(rs -> rs.getMetadata().getUid().equals(first.getMetadata().getUid())).findFirst().orElseThrow();
        assertThat(restored.getSpec().getReplicas()).isEqualTo(5);
        assertThat(restored.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "3")
            .containsEntry(Revisions.REVISION_HISTORY, "1");
      });

      cluster.kubectl.run("-n", NS, "scale", "deployment/web", "--replicas=8").assertOk();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(activePods("web")).hasSize(8));
      cluster.kubectl.run("-n", NS, "scale", "deployment/web", "--replicas=2").assertOk();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(activePods("web")).hasSize(2));
      assertThat(cluster.kubectl.run(Duration.ofSeconds(60), "-n", NS, "rollout", "status", "deployment/web", "--timeout=50s")
          .exitCode()).isZero();
    }
  }

  @Test
  void recreateScalesOldToZeroBeforeCreatingNew() throws Exception {
    Deployment spec = deployment("batch", 3);
    spec.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("Recreate").build());
    Deployment d = cluster.client.apps().deployments().inNamespace(NS).resource(spec).create();
    try (Kubelet kubelet = new Kubelet(cluster, NS, Duration.ofMillis(50))) {
      watchRollout(d, 3, 3, 3);
      cluster.kubectl.run("-n", NS, "set", "image", "deployment/batch", "c=busybox:2").assertOk();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean finished = false;
      while (!finished && System.nanoTime() < deadline) {
        List<Pod> pods = activePods("batch");
        long oldImage = pods.stream().filter(p -> p.getSpec().getContainers().getFirst().getImage().equals("busybox:1")).count();
        long newImage = pods.size() - oldImage;
        assertThat(oldImage == 0 || newImage == 0).as("old and new pods never together: %d old, %d new", oldImage, newImage).isTrue();
        finished = newImage == 3;
        Thread.sleep(20);
      }
      assertThat(finished).isTrue();
    }
  }

  @Test
  void noProgressWithinTheDeadlineIsReportedAndFailsRolloutStatus() {
    Deployment spec = deployment("stuck", 2);
    spec.getSpec().setProgressDeadlineSeconds(2);
    cluster.client.apps().deployments().inNamespace(NS).resource(spec).create();
    // no kubelet: the pods never become ready
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Deployment d = cluster.client.apps().deployments().inNamespace(NS).withName("stuck").get();
      var progressing = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING)
          .orElseThrow(() -> new AssertionError("no Progressing condition: " + d.getStatus() + " spec " + d.getSpec().getProgressDeadlineSeconds()));
      assertThat(progressing.getStatus()).isEqualTo("False");
      assertThat(progressing.getReason()).isEqualTo(DeploymentConditions.TIMED_OUT);
      assertThat(DeploymentConditions.get(d.getStatus(), DeploymentConditions.AVAILABLE).orElseThrow().getReason())
          .isEqualTo(DeploymentConditions.MINIMUM_UNAVAILABLE);
    });
    var status = cluster.kubectl.run(Duration.ofSeconds(30), "-n", NS, "rollout", "status", "deployment/stuck", "--timeout=20s");
    assertThat(status.exitCode()).isNotZero();
    assertThat(status.stderr()).contains("exceeded its progress deadline");
  }

  @Test
  void pausedDeploymentDoesNotRollOutUntilResumed() throws Exception {
    Deployment d = cluster.client.apps().deployments().inNamespace(NS).resource(deployment("paused", 2)).create();
    try (Kubelet kubelet = new Kubelet(cluster, NS, Duration.ofMillis(50))) {
      watchRollout(d, 2, 2, 2);
      cluster.kubectl.run("-n", NS, "rollout", "pause", "deployment/paused").assertOk();
      cluster.kubectl.run("-n", NS, "set", "image", "deployment/paused", "c=busybox:2").assertOk();
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(replicaSetsOf(d)).hasSize(1);
        Deployment now = cluster.client.apps().deployments().inNamespace(NS).withName("paused").get();
        assertThat(DeploymentConditions.get(now.getStatus(), DeploymentConditions.PROGRESSING).orElseThrow().getReason())
            .isEqualTo(DeploymentConditions.PAUSED);
      });
      cluster.kubectl.run("-n", NS, "rollout", "resume", "deployment/paused").assertOk();
      watchRollout(d, 2, 1, 0);
      assertThat(replicaSetsOf(d)).hasSize(2);
    }
  }
}
