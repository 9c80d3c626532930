package dev.skiff.scheduler.plugins.tainttoleration;

import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.TestNodes;
import dev.skiff.scheduler.framework.TestPods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.skiff.scheduler.framework.TestFrameworks.filter;
import static dev.skiff.scheduler.framework.TestFrameworks.only;
import static dev.skiff.scheduler.framework.TestFrameworks.scores;
import static dev.skiff.scheduler.framework.TestFrameworks.snapshot;
import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class TaintTolerationTest {

    record Case(String name, TestPods pod, TestNodes node, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no taints", pod("p"), node("n"), null),
                new Case("untolerated NoSchedule", pod("p"), node("n").taint("dedicated", "gpu", "NoSchedule"),
                        "node(s) had untolerated taint {dedicated: gpu}"),
                new Case("untolerated NoExecute", pod("p"), node("n").taint("k", "", "NoExecute"), "node(s) had untolerated taint {k: }"),
                new Case("PreferNoSchedule never filters", pod("p"), node("n").taint("k", "v", "PreferNoSchedule"), null),
                new Case("tolerated with Equal", pod("p").toleration("dedicated", "Equal", "gpu", "NoSchedule"),
                        node("n").taint("dedicated", "gpu", "NoSchedule"), null),
                new Case("Equal with another value", pod("p").toleration("dedicated", "Equal", "cpu", "NoSchedule"),
                        node("n").taint("dedicated", "gpu", "NoSchedule"), "node(s) had untolerated taint {dedicated: gpu}"),
                new Case("Exists tolerates any value", pod("p").toleration("dedicated", "Exists", null, null),
                        node("n").taint("dedicated", "gpu", "NoExecute"), null),
                new Case("empty key Exists tolerates everything", pod("p").toleration(null, "Exists", null, null),
                        node("n").taint("a", "b", "NoSchedule").taint("c", "d", "NoExecute"), null),
                new Case("effect must agree", pod("p").toleration("dedicated", "Exists", null, "NoExecute"),
                        node("n").taint("dedicated", "gpu", "NoSchedule"), "node(s) had untolerated taint {dedicated: gpu}"),
                new Case("first untolerated of several", pod("p").toleration("a", "Exists", null, null),
                        node("n").taint("a", "1", "NoSchedule").taint("b", "2", "NoSchedule"), "node(s) had untolerated taint {b: 2}"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filters(Case c) {
        Status s = filter(only(ClusterLister.EMPTY, TaintToleration.NAME), c.pod().info(), snapshot(c.node().info())).get("n");
        if (c.reason() == null) {
            assertThat(s).isEqualTo(Status.SUCCESS);
        } else {
            assertThat(s).isInstanceOfSatisfying(Status.Unschedulable.class, u -> {
                assertThat(u.reasons()).containsExactly(c.reason());
                assertThat(u.unresolvable()).isTrue();
            });
        }
    }

    @Test
    void scoresFewerPreferNoScheduleTaintsHigher() {
        var s = scores(only(ClusterLister.EMPTY, TaintToleration.NAME), pod("p").toleration("tolerated", "Exists", null, "PreferNoSchedule").info(),
                snapshot(node("clean").info(),
                        node("one").taint("a", "1", "PreferNoSchedule").taint("tolerated", "x", "PreferNoSchedule").info(),
                        node("two").taint("a", "1", "PreferNoSchedule").taint("b", "2", "PreferNoSchedule").info()));
        assertThat(s).containsEntry("clean", 100L).containsEntry("one", 50L).containsEntry("two", 0L);
    }
}
