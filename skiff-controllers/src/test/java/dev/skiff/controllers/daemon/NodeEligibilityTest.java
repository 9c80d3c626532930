package dev.skiff.controllers.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's {@code TestNodeShouldRunDaemonPod} cases that do not involve resources. */
class NodeEligibilityTest {
  record Case(String name, Map<String, String> nodeLabels, List<Taint> taints, Map<String, String> nodeSelector,
      List<Toleration> tolerations, String affinityZone, boolean shouldRun, boolean shouldContinue) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Taint taint(String key, String effect) {
    return new TaintBuilder().withKey(key).withValue("x").withEffect(effect).build();
  }

  static Stream<Case> cases() {
    Map<String, String> zoneA = Map.of("zone", "a");
    return Stream.of(
        new Case("plain node", zoneA, List.of(), null, List.of(), null, true, true),
        new Case("nodeSelector matches", zoneA, List.of(), Map.of("zone", "a"), List.of(), null, true, true),
        new Case("nodeSelector misses", zoneA, List.of(), Map.of("zone", "b"), List.of(), null, false, false),
        new Case("affinity matches", zoneA, List.of(), null, List.of(), "a", true, true),
        new Case("affinity misses", zoneA, List.of(), null, List.of(), "b", false, false),
        new Case("NoSchedule taint keeps a running pod", zoneA, List.of(taint("dedicated", "NoSchedule")), null,
            List.of(), null, false, true),
        new Case("NoExecute taint evicts", zoneA, List.of(taint("dedicated", "NoExecute")), null, List.of(), null,
            false, false),
        new Case("tolerated NoExecute taint", zoneA, List.of(taint("dedicated", "NoExecute")), null,
            List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()), null, true, true),
        new Case("default toleration: not-ready", zoneA, List.of(taint("node.kubernetes.io/not-ready", "NoExecute")),
            null, List.of(), null, true, true),
        new Case("default toleration: unschedulable", zoneA,
            List.of(taint("node.kubernetes.io/unschedulable", "NoSchedule")), null, List.of(), null, true, true),
        new Case("default toleration: memory-pressure", zoneA,
            List.of(taint("node.kubernetes.io/memory-pressure", "NoSchedule")), null, List.of(), null, true, true),
        new Case("network-unavailable needs hostNetwork", zoneA,
            List.of(taint("node.kubernetes.io/network-unavailable", "NoSchedule")), null, List.of(), null, false, true),
        new Case("PreferNoSchedule is ignored", zoneA, List.of(taint("dedicated", "PreferNoSchedule")), null,
            List.of(), null, true, true));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void decidesLikeUpstream(Case c) {
    Node node = new NodeBuilder().withNewMetadata().withName("n1").withLabels(c.nodeLabels()).endMetadata()
        .withNewSpec().withTaints(c.taints()).endSpec().build();
    var spec = new DaemonSetBuilder().withNewMetadata().withName("ds").endMetadata().withNewSpec()
        .withNewTemplate().withNewSpec().withNodeSelector(c.nodeSelector()).withTolerations(c.tolerations())
        .addNewContainer().withName("c").withImage("i").endContainer().endSpec().endTemplate().endSpec();
    DaemonSet ds = spec.build();
    if (c.affinityZone() != null) {
      ds.getSpec().getTemplate().getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
          .withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
          .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In")
              .withValues(c.affinityZone()).build())
          .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
    }
    assertThat(NodeEligibility.of(node, ds)).isEqualTo(new NodeEligibility(c.shouldRun(), c.shouldContinue()));
  }
}
