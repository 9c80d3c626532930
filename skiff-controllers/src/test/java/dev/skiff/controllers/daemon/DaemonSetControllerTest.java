package dev.skiff.controllers.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.Kubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
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
 * The DaemonSet controller against an in-process ApiServer on SQLite with Node objects written
 * through the API, fabric8 and the real kubectl. No scheduler or kubelet runs: pods are pinned to
 * their node by the controller's matchFields affinity, and the test marks them Running and Ready.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DaemonSetControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "ds";
  static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(DaemonSetController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static void node(String name, Map<String, String> labels, Taint... taints) {
    Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withTaints(taints).endSpec().build();
    cluster.client.nodes().resource(node).create();
  }

  static DaemonSet daemonSet(String name, Map<String, String> nodeSelector) {
    return new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().withNodeSelector(nodeSelector)
        .addNewContainer().withName("c").withImage("busybox:1").endContainer().endSpec().endTemplate()
        .endSpec().build();
  }

  static List<Pod> pods(String app) {
    return cluster.client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
  }

  static List<String> targets(String app) {
    return pods(app).stream().map(p -> DaemonPods.targetNode(p).orElse("?")).sorted().toList();
  }

  static DaemonSet get(String name) {
    return cluster.client.apps().daemonSets().inNamespace(NS).withName(name).get();
  }

  @Test
  void onePodPerEligibleNodeThenRollingUpdateAndUndoWithKubectl() throws Exception {
    node("n1", Map.of("zone", "a"));
    node("n2", Map.of("zone", "a"));
    node("n3", Map.of("zone", "b"));
    try (Kubelet kubelet = new Kubelet(cluster, NS, Duration.ofMillis(30))) {
      cluster.client.apps().daemonSets().inNamespace(NS).resource(daemonSet("agent", null)).create();
      await().atMost(WAIT).untilAsserted(() -> assertThat(targets("agent")).containsExactly("n1", "n2", "n3"));
      Pod first = pods("agent").getFirst();
      var terms = first.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
          .getNodeSelectorTerms();
      assertThat(terms).hasSize(1);
      assertThat(terms.getFirst().getMatchFields().getFirst().getKey()).isEqualTo("metadata.name");
      assertThat(first.getSpec().getNodeName()).isNull(); // binding is the scheduler's job
      assertThat(first.getSpec().getTolerations()).extracting(t -> t.getKey() + ":" + t.getEffect())
          .contains("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute",
              "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule");
      assertThat(first.getMetadata().getLabels()).containsKey("controller-revision-hash");

      node("n4", Map.of("zone", "b"));
      node("tainted", Map.of("zone", "b"), new TaintBuilder().withKey("dedicated").withValue("db")
          .withEffect("NoSchedule").build());
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(targets("agent")).containsExactly("n1", "n2", "n3", "n4");
        var s = get("agent").getStatus();
        assertThat(s.getDesiredNumberScheduled()).isEqualTo(4);
        assertThat(s.getCurrentNumberScheduled()).isEqualTo(4);
        assertThat(s.getNumberReady()).isEqualTo(4);
        assertThat(s.getNumberAvailable()).isEqualTo(4);
        assertThat(s.getUpdatedNumberScheduled()).isEqualTo(4);
        assertThat(s.getNumberMisscheduled()).isZero();
      });

      cluster.kubectl.run("-n", NS, "set", "image", "daemonset/agent", "c=busybox:2").assertOk();
      var status = cluster.kubectl.run(Duration.ofSeconds(60), "-n", NS, "rollout", "status", "daemonset/agent",
          "--timeout=50s");
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      assertThat(status.stdout()).contains("daemon set \"agent\" successfully rolled out");
      assertThat(pods("agent")).hasSize(4).allSatisfy(p ->
          assertThat(p.getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:2"));

      var history = cluster.kubectl.run("-n", NS, "rollout", "history", "daemonset/agent").assertOk();
      assertThat(history.stdout()).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
      cluster.kubectl.run("-n", NS, "rollout", "undo", "daemonset/agent").assertOk();
      status = cluster.kubectl.run(Duration.ofSeconds(60), "-n", NS, "rollout", "status", "daemonset/agent",
          "--timeout=50s");
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      await().atMost(WAIT).untilAsserted(() -> assertThat(pods("agent")).hasSize(4).allSatisfy(p ->
          assertThat(p.getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:1")));
      assertThat(targets("agent")).doesNotContain("tainted");
    }
  }

  @Test
  void nodesThatStopMatchingLoseTheirPod() {
    node("s1", Map.of("disk", "ssd"));
    node("s2", Map.of("disk", "ssd"));
    node("h1", Map.of("disk", "hdd"));
    cluster.client.apps().daemonSets().inNamespace(NS).resource(daemonSet("picky", Map.of("disk", "ssd"))).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(targets("picky")).containsExactly("s1", "s2"));
    cluster.client.nodes().withName("s2").edit(n -> {
      n.getMetadata().getLabels().put("disk", "hdd");
      return n;
    });
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(targets("picky")).containsExactly("s1");
      assertThat(get("picky").getStatus().getDesiredNumberScheduled()).isEqualTo(1);
    });
  }
}
