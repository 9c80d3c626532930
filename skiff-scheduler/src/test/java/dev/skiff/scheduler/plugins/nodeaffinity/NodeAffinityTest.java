package dev.skiff.scheduler.plugins.nodeaffinity;

import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.TestNodes;
import dev.skiff.scheduler.framework.TestPods;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.skiff.scheduler.framework.TestFrameworks.filter;
import static dev.skiff.scheduler.framework.TestFrameworks.only;
import static dev.skiff.scheduler.framework.TestFrameworks.scores;
import static dev.skiff.scheduler.framework.TestFrameworks.snapshot;
import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeAffinityTest {

    record Case(String name, TestPods pod, TestNodes node, boolean fits) {
        @Override
        public String toString() {
            return name;
        }
    }

    static io.fabric8.kubernetes.api.model.NodeAffinity required(String key, String op, String... values) {
        return new NodeAffinityBuilder().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().withMatchExpressions(new NodeSelectorRequirementBuilder()
                        .withKey(key).withOperator(op).withValues(values).build()).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().build();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no constraints", pod("p"), node("n"), true),
                new Case("nodeSelector matches", pod("p").nodeSelector("disk", "ssd"), node("n").label("disk", "ssd"), true),
                new Case("nodeSelector value differs", pod("p").nodeSelector("disk", "ssd"), node("n").label("disk", "hdd"), false),
                new Case("nodeSelector label missing", pod("p").nodeSelector("disk", "ssd"), node("n"), false),
                new Case("In", pod("p").nodeAffinity(required("zone", "In", "a", "b")), node("n").label("zone", "b"), true),
                new Case("In mismatch", pod("p").nodeAffinity(required("zone", "In", "a")), node("n").label("zone", "b"), false),
                new Case("NotIn absent label", pod("p").nodeAffinity(required("zone", "NotIn", "a")), node("n"), true),
                new Case("Exists", pod("p").nodeAffinity(required("gpu", "Exists")), node("n").label("gpu", ""), true),
                new Case("DoesNotExist", pod("p").nodeAffinity(required("gpu", "DoesNotExist")), node("n").label("gpu", "x"), false),
                new Case("Gt", pod("p").nodeAffinity(required("cores", "Gt", "8")), node("n").label("cores", "16"), true),
                new Case("Lt", pod("p").nodeAffinity(required("cores", "Lt", "8")), node("n").label("cores", "16"), false),
                new Case("selector and affinity both needed", pod("p").nodeSelector("disk", "ssd").nodeAffinity(required("zone", "In", "a")),
                        node("n").label("zone", "a"), false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filters(Case c) {
        Status s = filter(only(ClusterLister.EMPTY, NodeAffinity.NAME), c.pod().info(), snapshot(c.node().info())).get("n");
        if (c.fits()) {
            assertThat(s).isEqualTo(Status.SUCCESS);
        } else {
            assertThat(s).isEqualTo(new Status.Unschedulable(List.of("node(s) didn't match Pod's node affinity/selector"), true, NodeAffinity.NAME));
        }
    }

    @Test
    void scoresPreferredTermsByWeight() {
        io.fabric8.kubernetes.api.model.NodeAffinity preferred = new NodeAffinityBuilder()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(80).withNewPreference()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("disk").withOperator("In").withValues("ssd").build())
                .endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(20).withNewPreference()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In").withValues("a").build())
                .endPreference().endPreferredDuringSchedulingIgnoredDuringExecution().build();
        var s = scores(only(ClusterLister.EMPTY, NodeAffinity.NAME), pod("p").nodeAffinity(preferred).info(),
                snapshot(node("both").label("disk", "ssd").label("zone", "a").info(),
                        node("ssd").label("disk", "ssd").info(), node("zone").label("zone", "a").info(), node("none").info()));
        assertThat(s).containsEntry("both", 100L).containsEntry("ssd", 80L).containsEntry("zone", 20L).containsEntry("none", 0L);
    }
}
