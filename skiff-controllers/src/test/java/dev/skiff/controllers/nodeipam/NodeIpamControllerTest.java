package dev.skiff.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node IPAM controller on a cluster CIDR of four /24s: a range a Node already holds is never
 * handed out, three more Nodes get the other three, a fifth finds the CIDR full (an event says
 * so), a restarted controller keeps every assignment, and a deleted Node's range goes to the
 * waiting one.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class NodeIpamControllerTest {
  @TempDir Path dir;

  static void node(TestCluster cluster, String name, String podCidr) {
    NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    if (podCidr != null) {
      node.withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec();
    }
    cluster.client.nodes().resource(node.build()).create();
  }

  static Map<String, String> cidrs(TestCluster cluster) {
    Map<String, String> out = new HashMap<>();
    for (Node n : cluster.client.nodes().list().getItems()) {
      String cidr = n.getSpec() == null ? null : n.getSpec().getPodCIDR();
      out.put(n.getMetadata().getName(), cidr);
      if (cidr != null) {
        assertThat(n.getSpec().getPodCIDRs()).containsExactly(n.getSpec().getPodCIDR());
      }
    }
    return out;
  }

  @Test
  void distinctRangesKeptAcrossRestartAndReleasedOnDelete() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, Set.of(NodeIpamController.NAME),
        c -> c.withNodeIpam(new NodeIpamConfig(true, "10.42.0.0/22", 24)))) {
      node(cluster, "pre", "10.42.0.0/24");
      for (String n : List.of("n1", "n2", "n3")) {
        node(cluster, n, null);
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cidrs(cluster)).doesNotContainValue(null));
      Map<String, String> first = cidrs(cluster);
      assertThat(first).containsEntry("pre", "10.42.0.0/24");
      assertThat(Set.copyOf(first.values())).containsExactlyInAnyOrder(
          "10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24", "10.42.3.0/24");

      node(cluster, "n4", null);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.client.v1().events()
          .inNamespace("default").list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("CIDRNotAvailable");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("n4");
          }));
      assertThat(cidrs(cluster).get("n4")).isNull();

      // a restarted controller manager (leader election off: the old one may still hold the lease)
      cluster.manager.close();
      ControllerManagerConfig c = cluster.config;
      try (ControllerManager again = new ControllerManager(cluster.client, new ControllerManagerConfig(c.controllers(),
          c.workers(), false, c.identity() + "-again", c.leaseDuration(), c.renewDeadline(), c.retryPeriod(),
          c.nodeIpam(), c.nodeLifecycle(), c.serviceAccountKeyFile()))) {
        await().atMost(Duration.ofSeconds(30)).until(again::isRunning);
        node(cluster, "n5", null);
        String freed = first.get("n2");
        cluster.client.nodes().withName("n2").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          Map<String, String> now = cidrs(cluster);
          assertThat(now).doesNotContainKey("n2");
          assertThat(now.get("n4") != null || now.get("n5") != null).isTrue();
        });
        Map<String, String> after = cidrs(cluster);
        for (String kept : List.of("pre", "n1", "n3")) {
          assertThat(after.get(kept)).isEqualTo(first.get(kept));
        }
        // exactly one of the two waiting nodes got the freed range; the other still waits
        assertThat(after.values().stream().filter(freed::equals)).hasSize(1);
        assertThat(after.values().stream().filter(java.util.Objects::isNull)).hasSize(1);
      }
    }
  }
}
