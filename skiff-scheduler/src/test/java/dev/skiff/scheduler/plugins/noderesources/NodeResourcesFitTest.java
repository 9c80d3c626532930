package dev.skiff.scheduler.plugins.noderesources;

import dev.skiff.scheduler.framework.EffectiveRequests;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.Resources;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.TestNodes;
import dev.skiff.scheduler.framework.TestPods;
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

class NodeResourcesFitTest {

    record FilterCase(String name, TestPods pod, NodeInfo node, List<String> reasons, boolean unresolvable) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FilterCase> filterCases() {
        return Stream.of(
                new FilterCase("fits", pod("p").container("cpu=1,memory=1Gi"), node("n").info(pod("e").container("cpu=2")), List.of(), false),
                new FilterCase("no requests fit anywhere", pod("p"), node("n").info(pod("e").container("cpu=4,memory=8Gi")), List.of(), false),
                new FilterCase("insufficient cpu", pod("p").container("cpu=3"), node("n").info(pod("e").container("cpu=2")),
                        List.of("Insufficient cpu"), false),
                new FilterCase("insufficient cpu and memory", pod("p").container("cpu=3,memory=7Gi"),
                        node("n").info(pod("e").container("cpu=2,memory=2Gi")), List.of("Insufficient cpu", "Insufficient memory"), false),
                new FilterCase("more than the node has: still resolvable in v1.32", pod("p").container("cpu=5"), node("n").info(),
                        List.of("Insufficient cpu"), false),
                new FilterCase("too many pods", pod("p"), node("n").allocatable("pods", "1").info(pod("e")), List.of("Too many pods"), false),
                new FilterCase("ephemeral storage", pod("p").container("ephemeral-storage=2Gi"),
                        node("n").allocatable("ephemeral-storage", "1Gi").info(), List.of("Insufficient ephemeral-storage"), false),
                new FilterCase("extended resource missing", pod("p").container("example.com/gpu=1"), node("n").info(),
                        List.of("Insufficient example.com/gpu"), false),
                new FilterCase("extended resource present", pod("p").container("example.com/gpu=1"),
                        node("n").allocatable("example.com/gpu", "2").info(), List.of(), false),
                new FilterCase("init container peak counts", pod("p").container("cpu=1").initContainer("cpu=3"),
                        node("n").info(pod("e").container("cpu=2")), List.of("Insufficient cpu"), false),
                new FilterCase("sidecar adds to app containers", pod("p").container("cpu=1").sidecar("cpu=1500m"),
                        node("n").info(pod("e").container("cpu=2")), List.of("Insufficient cpu"), false),
                new FilterCase("overhead counts", pod("p").container("cpu=1").overhead("cpu=1500m"),
                        node("n").info(pod("e").container("cpu=2")), List.of("Insufficient cpu"), false));
    }

    @ParameterizedTest
    @MethodSource("filterCases")
    void filter_(FilterCase c) {
        Framework fw = only(dev.skiff.scheduler.framework.ClusterLister.EMPTY, NodeResourcesFit.NAME);
        Status s = filter(fw, c.pod().info(), snapshot(c.node())).get("n");
        if (c.reasons().isEmpty()) {
            assertThat(s).isEqualTo(Status.SUCCESS);
        } else {
            assertThat(s).isInstanceOfSatisfying(Status.Unschedulable.class, u -> {
                assertThat(u.reasons()).isEqualTo(c.reasons());
                assertThat(u.unresolvable()).isEqualTo(c.unresolvable());
                assertThat(u.plugin()).isEqualTo(NodeResourcesFit.NAME);
            });
        }
    }

    record RequestCase(String name, TestPods pod, long milliCpu, long memory) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RequestCase> requestCases() {
        return Stream.of(
                new RequestCase("app containers add up", pod("p").container("cpu=1,memory=1Gi").container("cpu=500m"), 1500, 1L << 30),
                new RequestCase("init container larger than apps", pod("p").container("cpu=1").initContainer("cpu=2,memory=100Mi"), 2000, 100L << 20),
                new RequestCase("sidecar before init adds to the init peak", pod("p").container("cpu=1").sidecar("cpu=1").initContainer("cpu=2"),
                        3000, 0),
                new RequestCase("sidecar after init does not", pod("p").container("cpu=1").initContainer("cpu=2").sidecar("cpu=1"), 2000, 0),
                new RequestCase("overhead on top", pod("p").container("cpu=1").overhead("cpu=250m,memory=64Mi"), 1250, 64L << 20),
                new RequestCase("milli rounding up", pod("p").container("cpu=0.0001"), 1, 0));
    }

    @ParameterizedTest
    @MethodSource("requestCases")
    void effectiveRequests(RequestCase c) {
        Resources r = EffectiveRequests.of(c.pod().build());
        assertThat(r.milliCpu()).isEqualTo(c.milliCpu());
        assertThat(r.memory()).isEqualTo(c.memory());
    }

    record ScoreCase(String name, TestPods pod, NodeInfo n1, NodeInfo n2, long score1, long score2) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ScoreCase> scoreCases() {
        return Stream.of(
                // n1: cpu (4000-1000)/4000=75, mem (8Gi-1Gi)/8Gi=87 -> 81;
                // n2: cpu 25, mem (8Gi-1Gi-200Mi charged for e's missing request)=85 -> 55
                new ScoreCase("least allocated", pod("p").container("cpu=1,memory=1Gi"),
                        node("n1").info(), node("n2").info(pod("e").container("cpu=2")), 81, 55),
                // best-effort pod: 100m and 200Mi charged -> cpu 97, mem 97
                new ScoreCase("non-zero defaults", pod("p"), node("n1").info(), node("n2").info(), 97, 97));
    }

    @ParameterizedTest
    @MethodSource("scoreCases")
    void leastAllocated(ScoreCase c) {
        Framework fw = only(dev.skiff.scheduler.framework.ClusterLister.EMPTY, NodeResourcesFit.NAME);
        var s = scores(fw, c.pod().info(), snapshot(c.n1(), c.n2()));
        assertThat(s).containsEntry("n1", c.score1()).containsEntry("n2", c.score2());
    }

    static Stream<ScoreCase> balancedCases() {
        return Stream.of(
                // n1: cpu 1/4=.25, mem 2/8=.25 -> 100; n2: cpu 3/4, mem .25 -> std .25 -> 75
                new ScoreCase("balanced", pod("p").container("cpu=1,memory=2Gi"),
                        node("n1").info(), node("n2").info(pod("e").container("cpu=2")), 100, 75),
                new ScoreCase("fractions capped at one", pod("p").container("cpu=8"),
                        node("n1").info(), node("n2").info(), 50, 50),
                new ScoreCase("a resource the node lacks is left out", pod("p").container("cpu=2"),
                        node("n1").allocatable("memory", "0").info(), node("n2").info(), 100, 75));
    }

    @ParameterizedTest
    @MethodSource("balancedCases")
    void balancedAllocation(ScoreCase c) {
        Framework fw = only(dev.skiff.scheduler.framework.ClusterLister.EMPTY, NodeResourcesBalancedAllocation.NAME);
        var s = scores(fw, c.pod().info(), snapshot(c.n1(), c.n2()));
        assertThat(s).containsEntry("n1", c.score1()).containsEntry("n2", c.score2());
    }
}
