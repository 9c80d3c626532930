package dev.skiff.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.daemon.DaemonSetController;
import dev.skiff.controllers.statefulset.StatefulSetController;
import dev.skiff.controllers.testing.TestCluster;
import dev.skiff.scheduler.wiring.SchedulerConfig;
import dev.skiff.scheduler.wiring.SchedulerService;
import dev.skiff.simulator.SimulatedNodes;
import dev.skiff.simulator.SimulatedNodesConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
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
 * StatefulSets and DaemonSets with the real scheduler binding their pods to three simulated
 * nodes, which run them to Running and Ready and finish their graceful deletion as a kubelet
 * would: nothing in this test marks a pod ready.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AppsOnSimulatedNodesTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static SimulatedNodes nodes;
  static SchedulerService scheduler;
  static final String NS = "sim";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(StatefulSetController.NAME, DaemonSetController.NAME));
    cluster.createNamespace(NS);
    nodes = new SimulatedNodes(cluster.client, SimulatedNodesConfig.of(3).withLeaseInterval(Duration.ofSeconds(1)));
    scheduler = new SchedulerService(cluster.client, SchedulerConfig.defaults("sched-apps")
        .withLeaderElection(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)));
    await().atMost(Duration.ofSeconds(30)).until(scheduler::isScheduling);
  }

  @AfterAll
  static void stop() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static List<Pod> pods(String app) {
    return cluster.client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  static String image(Pod p) {
    return p.getSpec().getContainers().getFirst().getImage();
  }

  @Test
  void daemonSetRunsOnePodOnEachSimulatedNodeAndRollsOut() {
    cluster.client.apps().daemonSets().inNamespace(NS).resource(new DaemonSetBuilder()
        .withNewMetadata().withName("agent").endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "agent")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "agent")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("registry.k8s.io/pause:3.9").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    var status = cluster.kubectl.run(Duration.ofSeconds(70), "-n", NS, "rollout", "status", "daemonset/agent",
        "--timeout=60s");
    assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isZero();
    assertThat(pods("agent")).extracting(p -> p.getSpec().getNodeName())
        .containsExactlyInAnyOrderElementsOf(nodes.nodeNames());
    assertThat(pods("agent")).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));

    cluster.kubectl.run("-n", NS, "set", "image", "daemonset/agent", "c=registry.k8s.io/pause:3.10").assertOk();
    status = cluster.kubectl.run(Duration.ofSeconds(70), "-n", NS, "rollout", "status", "daemonset/agent",
        "--timeout=60s");
    assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isZero();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods("agent")).hasSize(3)
        .allSatisfy(p -> assertThat(image(p)).isEqualTo("registry.k8s.io/pause:3.10")));
  }

  @Test
  void statefulSetComesUpInOrderAndScalesDownThroughGracefulDeletion() {
    cluster.client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(3).withServiceName("web")
        .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("registry.k8s.io/pause:3.9").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    var status = cluster.kubectl.run(Duration.ofSeconds(70), "-n", NS, "rollout", "status", "statefulset/web",
        "--timeout=60s");
    assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isZero();
    // OrderedReady: each ordinal was created after the one before it was ready
    List<Pod> web = pods("web").stream().sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName())).toList();
    assertThat(web).extracting(p -> p.getMetadata().getName()).containsExactly("web-0", "web-1", "web-2");
    for (int i = 1; i < 3; i++) {
      String readyAt = web.get(i - 1).getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
          .findFirst().orElseThrow().getLastTransitionTime();
      assertThat(web.get(i).getMetadata().getCreationTimestamp()).isGreaterThanOrEqualTo(readyAt);
    }
    cluster.kubectl.run("-n", NS, "scale", "statefulset/web", "--replicas=1").assertOk();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(pods("web")).extracting(p -> p.getMetadata().getName()).containsExactly("web-0");
      var s = cluster.client.apps().statefulSets().inNamespace(NS).withName("web").get().getStatus();
      assertThat(s.getReplicas()).isEqualTo(1);
      assertThat(s.getReadyReplicas()).isEqualTo(1);
    });
  }
}
