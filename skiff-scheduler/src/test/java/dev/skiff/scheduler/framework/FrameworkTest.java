package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.plugins.InTreeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameworkTest {

    @ParameterizedTest
    @CsvSource({
            "0, 50, 50",       // small clusters: every node
            "0, 99, 99",
            "0, 100, 100",     // adaptive 50% - 0 = 50 -> 50, floored at 100
            "0, 1000, 420",    // 50 - 8 = 42%
            "0, 5000, 500",    // 50 - 40 = 10%
            "0, 6000, 300",    // 50 - 48 = 2% -> floor 5%
            "30, 1000, 300",
            "1, 1000, 100",    // floor of 100 nodes
            "100, 5000, 5000"})
    void numFeasibleNodesToFind(int percentage, int nodes, int expected) {
        assertThat(Framework.numFeasibleNodesToFind(percentage, nodes)).isEqualTo(expected);
    }

    /** A plugin that records which extension points ran, in order, and scores by node name. */
    static final class Probe implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ReservePlugin, PermitPlugin, BindPlugin {
        final List<String> calls;
        final Map<String, Long> scoreOf;
        final Set<String> rejected;

        Probe(List<String> calls, Map<String, Long> scoreOf, Set<String> rejected) {
            this.calls = calls;
            this.scoreOf = scoreOf;
            this.rejected = rejected;
        }

        @Override public String name() { return "Probe"; }
        @Override public Status preFilter(CycleState s, PodInfo p, Snapshot snap) { calls.add("preFilter"); return Status.SUCCESS; }
        @Override public Status filter(CycleState s, PodInfo p, NodeInfo n) {
            calls.add("filter");
            return rejected.contains(n.name()) ? Status.unschedulable("probe says no") : Status.SUCCESS;
        }
        @Override public Status preScore(CycleState s, PodInfo p, List<NodeInfo> nodes, Snapshot snap) { calls.add("preScore"); return Status.SUCCESS; }
        @Override public long score(CycleState s, PodInfo p, NodeInfo n) { calls.add("score"); return scoreOf.getOrDefault(n.name(), 0L); }
        @Override public Status reserve(CycleState s, PodInfo p, String node) { calls.add("reserve"); return Status.SUCCESS; }
        @Override public void unreserve(CycleState s, PodInfo p, String node) { calls.add("unreserve"); }
        @Override public Status permit(CycleState s, PodInfo p, String node) { calls.add("permit"); return Status.unschedulable("not now"); }
        @Override public Status bind(CycleState s, PodInfo p, String node) { calls.add("bind"); return Status.SUCCESS; }
    }

    static Framework withProbe(Probe probe, int weight, long seed) {
        Map<String, PluginFactory> reg = InTreeRegistry.with(InTreeRegistry.factories(new Random(seed)), Map.of("Probe", h -> probe));
        TestFrameworks.Recorder r = new TestFrameworks.Recorder();
        return new Framework(new Profile("t", List.of(new Profile.Entry("Probe", weight)), 0), reg,
                new Framework.Options(new Random(seed), PodNominator.NONE, r, r, ClusterLister.EMPTY));
    }

    @Test
    void walksExtensionPointsInOrderAndPicksTheBestNode() {
        List<String> calls = new ArrayList<>();
        Probe probe = new Probe(calls, Map.of("n1", 10L, "n2", 90L, "n3", 50L), Set.of());
        Framework fw = withProbe(probe, 2, 1);
        Snapshot snap = TestFrameworks.snapshot(node("n1").info(), node("n2").info(), node("n3").info());
        ScheduleAttempt a = fw.schedulePod(new CycleState(), pod("p").info(), snap);
        assertThat(a).isEqualTo(new ScheduleAttempt.Scheduled("n2", 3, 3));
        assertThat(calls).containsExactly("preFilter", "filter", "filter", "filter", "preScore", "score", "score", "score");
        CycleState st = new CycleState();
        assertThat(fw.runReservePlugins(st, pod("p").info(), "n2")).isEqualTo(Status.SUCCESS);
        assertThat(fw.runPermitPlugins(st, pod("p").info(), "n2")).isInstanceOf(Status.Unschedulable.class);
    }

    @Test
    void scoresOutOfRangeFailTheCycle() {
        Probe probe = new Probe(new ArrayList<>(), Map.of("n1", 101L), Set.of());
        Framework fw = withProbe(probe, 1, 1);
        ScheduleAttempt a = fw.schedulePod(new CycleState(), pod("p").info(),
                TestFrameworks.snapshot(node("n1").info(), node("n2").info()));
        assertThat(a).isInstanceOf(ScheduleAttempt.Failed.class);
    }

    @Test
    void tiesAreBrokenRandomlyWithTheInjectedRandom() {
        Set<String> picked = new HashSet<>();
        Framework fw = withProbe(new Probe(new ArrayList<>(), Map.of(), Set.of()), 1, 42);
        for (int i = 0; i < 60; i++) {
            ScheduleAttempt a = fw.schedulePod(new CycleState(), pod("p").info(),
                    TestFrameworks.snapshot(node("n1").info(), node("n2").info(), node("n3").info()));
            picked.add(((ScheduleAttempt.Scheduled) a).nodeName());
        }
        assertThat(picked).containsExactlyInAnyOrder("n1", "n2", "n3");
        // same seed, same choice
        String first = ((ScheduleAttempt.Scheduled) withProbe(new Probe(new ArrayList<>(), Map.of(), Set.of()), 1, 7)
                .schedulePod(new CycleState(), pod("p").info(), TestFrameworks.snapshot(node("n1").info(), node("n2").info()))).nodeName();
        String again = ((ScheduleAttempt.Scheduled) withProbe(new Probe(new ArrayList<>(), Map.of(), Set.of()), 1, 7)
                .schedulePod(new CycleState(), pod("p").info(), TestFrameworks.snapshot(node("n1").info(), node("n2").info()))).nodeName();
        assertThat(again).isEqualTo(first);
    }

    @Test
    void stopsFilteringAfterEnoughFeasibleNodesAndRotatesTheStart() {
        List<String> calls = new ArrayList<>();
        Probe probe = new Probe(calls, Map.of(), Set.of());
        Map<String, PluginFactory> reg = Map.of("Probe", h -> probe);
        TestFrameworks.Recorder r = new TestFrameworks.Recorder();
        Framework fw = new Framework(new Profile("t", List.of(new Profile.Entry("Probe", 1)), 1), reg,
                new Framework.Options(new Random(1), PodNominator.NONE, r, r, ClusterLister.EMPTY));
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            nodes.add(node("n" + i).info());
        }
        Snapshot snap = Snapshot.of(ClusterLister.EMPTY, nodes);
        ScheduleAttempt a = fw.schedulePod(new CycleState(), pod("p").info(), snap);
        assertThat(a).isInstanceOfSatisfying(ScheduleAttempt.Scheduled.class, s -> {
            assertThat(s.evaluatedNodes()).isEqualTo(100);
            assertThat(s.feasibleNodes()).isEqualTo(100);
        });
        assertThat(calls.stream().filter("filter"::equals).count()).isEqualTo(100);
    }

    @Test
    void reportsEveryNodesRejection() {
        Framework fw = TestFrameworks.defaults();
        Snapshot snap = TestFrameworks.snapshot(node("n1").info(pod("e").container("cpu=4")),
                node("n2").taint("dedicated", "gpu", "NoSchedule").info(), node("n3").unschedulable().info());
        ScheduleAttempt a = fw.schedulePod(new CycleState(), pod("p").container("cpu=1").info(), snap);
        assertThat(a).isInstanceOfSatisfying(ScheduleAttempt.NoFit.class, nf -> {
            assertThat(FailedSchedulingMessage.of(nf.diagnosis())).isEqualTo(
                    "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable.");
            assertThat(nf.diagnosis().unschedulablePlugins()).containsExactlyInAnyOrder("NodeResourcesFit", "TaintToleration", "NodeUnschedulable");
        });
    }

    @Test
    void nominatedPodsKeepTheirRoom() {
        PodInfo nominated = pod("big").container("cpu=3").priority(100).info();
        PodNominator nominator = new PodNominator() {
            @Override public void addNominatedPod(PodInfo pod, String nodeName) { }
            @Override public void deleteNominatedPodIfExists(String podKey) { }
            @Override public List<PodInfo> nominatedPodsForNode(String nodeName) {
                return nodeName.equals("n1") ? List.of(nominated) : List.of();
            }
        };
        Framework fw = TestFrameworks.defaults(ClusterLister.EMPTY, new TestFrameworks.Recorder(), nominator);
        Snapshot snap = TestFrameworks.snapshot(node("n1").info(), node("n2").allocatable("cpu", "2").info());
        ScheduleAttempt lower = fw.schedulePod(new CycleState(), pod("p").container("cpu=2").priority(10).info(), snap);
        assertThat(lower).isEqualTo(new ScheduleAttempt.Scheduled("n2", 2, 1));
        // a pod of higher priority than the nominated one ignores the nomination
        ScheduleAttempt higher = fw.schedulePod(new CycleState(), pod("q").container("cpu=2").priority(1000).info(),
                TestFrameworks.snapshot(node("n1").info(), node("n2").allocatable("cpu", "1").info()));
        assertThat(higher).isEqualTo(new ScheduleAttempt.Scheduled("n1", 2, 1));
    }

    @Test
    void registryRejectsDuplicatesAndUnknownPlugins() {
        assertThatThrownBy(() -> InTreeRegistry.with(InTreeRegistry.factories(new Random()), Map.of("NodeName", h -> null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Framework(new Profile("t", List.of(new Profile.Entry("Nope", 1)), 0),
                InTreeRegistry.factories(new Random()), new Framework.Options(new Random(), PodNominator.NONE,
                new TestFrameworks.Recorder(), new TestFrameworks.Recorder(), ClusterLister.EMPTY)))
                .hasMessageContaining("Nope");
        Map<String, Integer> weights = new HashMap<>();
        InTreeRegistry.defaultProfile().plugins().forEach(e -> weights.put(e.name(), e.weight()));
        assertThat(weights).containsEntry("TaintToleration", 3).containsEntry("NodeAffinity", 2)
                .containsEntry("PodTopologySpread", 2).containsEntry("InterPodAffinity", 2)
                .containsEntry("NodeResourcesFit", 1).containsEntry("NodeResourcesBalancedAllocation", 1).containsEntry("ImageLocality", 1);
    }
}
