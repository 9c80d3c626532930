package dev.skiff.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.nodeipam.NodeIpamController;
import dev.skiff.controllers.testing.TestCluster;
import dev.skiff.simulator.SimulatedNodes;
import dev.skiff.simulator.SimulatedNodesConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated nodes (Lease heartbeats, podCIDRs from the node IPAM controller) and the node
 * lifecycle controller with a short grace period: when the heartbeats stop the nodes turn Unknown
 * and are tainted unreachable, their pods lose Ready, pods that tolerate that for 3 s are evicted (DisruptionTarget,
 * then deleted), pods with the API server's default 300 s toleration or an unbounded one stay,
 * and once heartbeats resume the taints go.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeLifecycleControllerTest {
  static final Duration GRACE = Duration.ofSeconds(10);
  @TempDir Path dir;

  static SimulatedNodesConfig simulated() {
    return new SimulatedNodesConfig(2, "life", "10.42.0.0/16", 24, 1, SimulatedNodesConfig.DEFAULT_CAPACITY,
        Duration.ofMillis(500), 40, Duration.ofSeconds(1), 8, true);
  }

  static Pod pod(String name, String node, Toleration... tolerations) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withNodeName(node).withTolerations(tolerations).addNewContainer().withName("c")
        .withImage("busybox").endContainer().endSpec().build();
  }

  static List<String> taints(Node node) {
    List<Taint> taints = node.getSpec().getTaints();
    return taints == null ? List.of() : taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
  }

  @Test
  void silentNodeIsTaintedItsPodsEvictedByTolerationAndUntaintedWhenBack() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, Set.of(NodeLifecycleController.NAME, NodeIpamController.NAME),
        c -> c.withNodeLifecycle(new NodeLifecycleConfig(GRACE, Duration.ofSeconds(1))))) {
      var pods = cluster.client.pods().inNamespace("default");
      List<String> cidrs;
      try (SimulatedNodes nodes = new SimulatedNodes(cluster.client, simulated())) {
        // the simulator waited for the node IPAM controller's ranges
        cidrs = nodes.nodeNames().stream()
            .map(n -> cluster.client.nodes().withName(n).get().getSpec().getPodCIDR()).toList();
        assertThat(cidrs).doesNotContainNull().doesNotHaveDuplicates().allMatch(c -> c.startsWith("10.42."));
        pods.resource(pod("short", "life-0001", new TolerationBuilder().withKey(ConditionTaints.UNREACHABLE)
            .withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(3L).build())).create();
        pods.resource(pod("defaulted", "life-0001")).create();
        pods.resource(pod("forever", "life-0001", new TolerationBuilder().withOperator("Exists").build())).create();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods.withName("defaulted").get()
            .getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
            .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True")));
        // healthy nodes stay untainted for longer than the grace period
        Thread.sleep(GRACE.plusSeconds(2).toMillis());
        assertThat(taints(cluster.client.nodes().withName("life-0001").get())).isEmpty();
        assertThat(pods.withName("short").get().getMetadata().getDeletionTimestamp()).isNull();
        // kubectl cordon: a NoSchedule taint follows spec.unschedulable, and goes with it
        cluster.kubectl.run("cordon", "life-0002");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
            taints(cluster.client.nodes().withName("life-0002").get()))
            .containsExactly(ConditionTaints.UNSCHEDULABLE + ":NoSchedule"));
        cluster.kubectl.run("uncordon", "life-0002");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
            taints(cluster.client.nodes().withName("life-0002").get())).isEmpty());
      }
      // heartbeats stopped
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Node node = cluster.client.nodes().withName("life-0001").get();
        NodeCondition ready = node.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
            .findFirst().orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("Unknown");
        assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("MemoryPressure"))
            .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("Unknown"));
        assertThat(taints(node)).containsExactlyInAnyOrder(ConditionTaints.UNREACHABLE + ":NoSchedule",
            ConditionTaints.UNREACHABLE + ":NoExecute");
      });
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Pod shortPod = pods.withName("short").get();
        assertThat(shortPod.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(shortPod.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("DisruptionTarget");
          assertThat(c.getReason()).isEqualTo("DeletionByTaintManager");
        });
      });
      assertThat(pods.withName("defaulted").get().getSpec().getTolerations())
          .anySatisfy(t -> assertThat(t.getKey() + "/" + t.getTolerationSeconds())
              .isEqualTo(ConditionTaints.UNREACHABLE + "/300"));
      assertThat(pods.withName("defaulted").get().getMetadata().getDeletionTimestamp()).isNull();
      assertThat(pods.withName("forever").get().getMetadata().getDeletionTimestamp()).isNull();
      // the pods that stay are no longer Ready (Services stop using them)
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods.withName("defaulted").get()
          .getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
          .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False")));

      // heartbeats resume: a simulator started again re-registers the nodes and renews their Leases
      try (SimulatedNodes again = new SimulatedNodes(cluster.client, simulated())) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          Node node = cluster.client.nodes().withName("life-0001").get();
          assertThat(taints(node)).isEmpty();
          assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
              .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        });
        assertThat(again.nodeNames().stream().map(n -> cluster.client.nodes().withName(n).get().getSpec().getPodCIDR())
            .toList()).isEqualTo(cidrs);
        assertThat(pods.withName("defaulted").get().getMetadata().getDeletionTimestamp()).isNull();
      }
    }
  }
}
