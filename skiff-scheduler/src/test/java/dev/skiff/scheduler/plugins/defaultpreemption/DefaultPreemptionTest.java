package dev.skiff.scheduler.plugins.defaultpreemption;

import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.FailedSchedulingMessage;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.InMemoryClusterLister;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PodNominator;
import dev.skiff.scheduler.framework.PostFilterPlugin;
import dev.skiff.scheduler.framework.ScheduleAttempt;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.TestFrameworks;
import dev.skiff.scheduler.queue.Nominator;
import dev.skiff.scheduler.framework.TestPods;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.skiff.scheduler.framework.PodEvictor;
import dev.skiff.scheduler.plugins.InTreeRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.stream.Stream;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class DefaultPreemptionTest {

    /** Runs the default profile on {@code nodes}; on NoFit runs preemption. */
    record Run(ScheduleAttempt attempt, PostFilterPlugin.Outcome outcome, String message, TestFrameworks.Recorder recorder) {}

    static Run run(ClusterLister lister, TestPods preemptor, NodeInfo... nodes) {
        TestFrameworks.Recorder rec = new TestFrameworks.Recorder();
        Framework fw = TestFrameworks.defaults(lister, rec, PodNominator.NONE);
        Snapshot snap = Snapshot.of(lister, List.of(nodes));
        CycleState state = new CycleState();
        PodInfo p = preemptor.info();
        ScheduleAttempt a = fw.schedulePod(state, p, snap);
        if (!(a instanceof ScheduleAttempt.NoFit nf)) {
            return new Run(a, null, null, rec);
        }
        PostFilterPlugin.Outcome o = fw.runPostFilterPlugins(state, p, snap, nf.diagnosis());
        TestFrameworks.awaitEvictions(fw);
        Diagnosis d = o.status().isSuccess() ? nf.diagnosis() : nf.diagnosis().withPostFilterMsg(o.status().message());
        return new Run(a, o, FailedSchedulingMessage.of(d), rec);
    }

    record Case(String name, TestPods preemptor, List<NodeInfo> nodes, String node, List<String> victims) {
        @Override
        public String toString() {
            return name;
        }
    }

    static TestPods cpu(String name, String cpu, int priority) {
        return pod(name).container("cpu=" + cpu).priority(priority);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("evict the lowest-priority victim", cpu("p", "2", 100),
                        List.of(node("n1").info(cpu("a", "3", 50)), node("n2").info(cpu("b", "3", 10))), "n2", List.of("default/b")),
                new Case("fewest victims when priorities tie", cpu("p", "3", 100),
                        List.of(node("n1").info(cpu("a", "1", 10), cpu("b", "2", 10)), node("n2").info(cpu("c", "3", 10))),
                        "n2", List.of("default/c")),
                new Case("only as many victims as needed; the more important one is spared", cpu("p", "2", 100),
                        List.of(node("n1").info(cpu("low", "2", 1), cpu("mid", "2", 5))), "n1", List.of("default/low")),
                new Case("equal or higher priority pods are never victims", cpu("p", "2", 100),
                        List.of(node("n1").info(cpu("same", "3", 100)), node("n2").info(cpu("low", "3", 0))), "n2", List.of("default/low")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void choosesNodeAndVictims(Case c) {
        Run r = run(ClusterLister.EMPTY, c.preemptor(), c.nodes().toArray(NodeInfo[]::new));
        assertThat(r.outcome()).isNotNull();
        assertThat(r.outcome().status()).isEqualTo(Status.SUCCESS);
        assertThat(r.outcome().result().nominatedNodeName()).isEqualTo(c.node());
        assertThat(r.outcome().result().victims()).extracting(PodInfo::key).isEqualTo(c.victims());
        assertThat(r.recorder().evicted).isEqualTo(c.victims());
    }

    @Test
    void honoursPodDisruptionBudgetsWhereItCan() {
        InMemoryClusterLister lister = new InMemoryClusterLister();
        lister.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName("guard").withNamespace("default").endMetadata()
                .withNewSpec().withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "guarded")).build()).endSpec()
                .withNewStatus().withDisruptionsAllowed(0).endStatus().build());
        // n1's victim has the lower priority but is protected; n2's victim is not
        Run r = run(lister, cpu("p", "2", 100),
                node("n1").info(cpu("guarded", "3", 1).label("app", "guarded")), node("n2").info(cpu("free", "3", 5)));
        assertThat(r.outcome().result().nominatedNodeName()).isEqualTo("n2");
        assertThat(r.recorder().evicted).containsExactly("default/free");
    }

    @Test
    void violatesABudgetOnlyWhenNothingElseHelps() {
        InMemoryClusterLister lister = new InMemoryClusterLister();
        lister.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName("guard").withNamespace("default").endMetadata()
                .withNewSpec().withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "guarded")).build()).endSpec()
                .withNewStatus().withDisruptionsAllowed(0).endStatus().build());
        Run r = run(lister, cpu("p", "2", 100), node("n1").info(cpu("guarded", "3", 1).label("app", "guarded")));
        assertThat(r.outcome().result().nominatedNodeName()).isEqualTo("n1");
        assertThat(r.recorder().evicted).containsExactly("default/guarded");
    }

    @Test
    void reportsNoVictimsInUpstreamsWords() {
        Run r = run(ClusterLister.EMPTY, cpu("p", "2", 0),
                node("n1").info(cpu("a", "3", 10)), node("n2").info(cpu("b", "3", 10)),
                node("n3").taint("k", "v", "NoSchedule").info());
        assertThat(r.outcome().status()).isInstanceOf(Status.Unschedulable.class);
        assertThat(r.message()).isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. "
                + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                + "2 No preemption victims found for incoming pod..");
        assertThat(r.recorder().evicted).isEmpty();
    }

    @Test
    void stillDoesNotFitAfterEvictingEverything() {
        Run r = run(ClusterLister.EMPTY, cpu("p", "3", 100), node("n1").allocatable("cpu", "4").info(cpu("a", "1", 10), cpu("big", "2", 200)));
        assertThat(r.message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu..");
    }

    @Test
    void preemptionPolicyNever() {
        Run r = run(ClusterLister.EMPTY, cpu("p", "2", 100).preemptionPolicy("Never"), node("n1").info(cpu("a", "3", 0)));
        assertThat(r.message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..");
        assertThat(r.recorder().evicted).isEmpty();
    }

    @Test
    void evictsOnlyThePodThatTheAntiAffinityRefuses() {
        Run r = run(ClusterLister.EMPTY, pod("p").priority(100).requiredAntiAffinity("kubernetes.io/hostname", "app", "noisy"),
                node("n1").info(pod("noisy").label("app", "noisy").priority(1), pod("quiet").priority(1)));
        assertThat(r.outcome().status()).isEqualTo(Status.SUCCESS);
        assertThat(r.outcome().result().victims()).extracting(PodInfo::key).containsExactly("default/noisy");
    }

    @Test
    void evictsAnExistingPodWhoseAntiAffinityRefusesThePreemptor() {
        Run r = run(ClusterLister.EMPTY, pod("p").label("app", "web").priority(100),
                node("n1").info(pod("hermit").priority(1).requiredAntiAffinity("kubernetes.io/hostname", "app", "web"), pod("quiet").priority(1)));
        assertThat(r.message()).startsWith("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.");
        assertThat(r.outcome().result().victims()).extracting(PodInfo::key).containsExactly("default/hermit");
    }

    @Test
    void spreadConstraintsAreRecountedWithoutTheVictims() {
        TestPods p = pod("p").label("app", "web").priority(100).spread(1, "kubernetes.io/hostname", "DoNotSchedule", "app", "web");
        // n1 holds two low-priority web pods, n2 none but is full of cpu: placing p on n1 breaks the skew
        Run r = run(ClusterLister.EMPTY, p.container("cpu=1"),
                node("n1").info(pod("w1").label("app", "web").priority(1), pod("w2").label("app", "web").priority(1)),
                node("n2").info(pod("hog").container("cpu=4").priority(1000)));
        assertThat(r.outcome().status()).isEqualTo(Status.SUCCESS);
        assertThat(r.outcome().result().nominatedNodeName()).isEqualTo("n1");
        assertThat(r.outcome().result().victims()).hasSize(2);
    }

    @Test
    void pickBreaksTiesByLatestStartTime() {
        PodInfo early = cpu("early", "1", 5).startTime("2026-01-01T00:00:00Z").info();
        PodInfo late = cpu("late", "1", 5).startTime("2026-06-01T00:00:00Z").info();
        Candidate a = new Candidate("a", List.of(early), 0);
        Candidate b = new Candidate("b", List.of(late), 0);
        assertThat(DefaultPreemption.pick(List.of(a, b)).nodeName()).isEqualTo("b");
        assertThat(DefaultPreemption.numCandidates(50)).isEqualTo(50);
        assertThat(DefaultPreemption.numCandidates(5000)).isEqualTo(500);
    }

    @Test
    void evictsAllVictimsConcurrentlyAfterTheCycle() throws InterruptedException {
        // each eviction waits until all three have started (one after another they would never finish),
        // and none may finish before the cycle has returned
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch cycleReturned = new CountDownLatch(1);
        List<String> evicted = Collections.synchronizedList(new ArrayList<>());
        TestFrameworks.Recorder binder = new TestFrameworks.Recorder();
        PodEvictor evictor = new PodEvictor() {
            @Override
            public void evict(PodInfo victim, PodInfo preemptor) throws Exception {
                started.countDown();
                if (!started.await(20, TimeUnit.SECONDS) || !cycleReturned.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("victims were evicted one at a time, or inside the cycle");
                }
                evicted.add(victim.key());
            }

            @Override
            public void clearNominatedNodeName(PodInfo pod) {
            }
        };
        Framework fw = new Framework(InTreeRegistry.defaultProfile(), InTreeRegistry.factories(new Random(1)),
                new Framework.Options(new Random(1), PodNominator.NONE, binder, evictor, ClusterLister.EMPTY));
        Snapshot snap = Snapshot.of(ClusterLister.EMPTY,
                List.of(node("n1").allocatable("cpu", "3").info(cpu("a", "1", 1), cpu("b", "1", 1), cpu("c", "1", 1))));
        CycleState state = new CycleState();
        PodInfo p = cpu("p", "3", 100).info();
        ScheduleAttempt.NoFit nf = (ScheduleAttempt.NoFit) fw.schedulePod(state, p, snap);

        PostFilterPlugin.Outcome o = fw.runPostFilterPlugins(state, p, snap, nf.diagnosis());
        cycleReturned.countDown();

        assertThat(o.status()).isEqualTo(Status.SUCCESS);
        assertThat(o.result().nominatedNodeName()).isEqualTo("n1");
        DefaultPreemption plugin = (DefaultPreemption) fw.plugins().get(DefaultPreemption.NAME);
        plugin.awaitEvictions();
        assertThat(evicted).containsExactlyInAnyOrder("default/a", "default/b", "default/c");
        assertThat(plugin.isPreempting("default/p")).isFalse();
    }

    @Test
    void aPodWhoseVictimsAreStillBeingEvictedDoesNotPreemptAgain() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<String> evicted = Collections.synchronizedList(new ArrayList<>());
        PodEvictor evictor = new PodEvictor() {
            @Override
            public void evict(PodInfo victim, PodInfo preemptor) throws Exception {
                if (!release.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                evicted.add(victim.key());
            }

            @Override
            public void clearNominatedNodeName(PodInfo pod) {
            }
        };
        Framework fw = new Framework(InTreeRegistry.defaultProfile(), InTreeRegistry.factories(new Random(1)),
                new Framework.Options(new Random(1), PodNominator.NONE, new TestFrameworks.Recorder(), evictor, ClusterLister.EMPTY));
        Snapshot snap = Snapshot.of(ClusterLister.EMPTY, List.of(
                node("n1").allocatable("cpu", "2").info(cpu("a", "2", 1)),
                node("n2").allocatable("cpu", "2").info(cpu("b", "2", 1))));
        PodInfo p = cpu("p", "2", 100).info();
        CycleState state = new CycleState();
        ScheduleAttempt.NoFit nf = (ScheduleAttempt.NoFit) fw.schedulePod(state, p, snap);
        assertThat(fw.runPostFilterPlugins(state, p, snap, nf.diagnosis()).status()).isEqualTo(Status.SUCCESS);

        // retried before its victim is gone (the snapshot still holds both nodes' pods)
        CycleState again = new CycleState();
        ScheduleAttempt.NoFit nf2 = (ScheduleAttempt.NoFit) fw.schedulePod(again, p, snap);
        PostFilterPlugin.Outcome second = fw.runPostFilterPlugins(again, p, snap, nf2.diagnosis());
        release.countDown();
        TestFrameworks.awaitEvictions(fw);

        assertThat(second.status()).isInstanceOf(Status.Unschedulable.class);
        assertThat(second.status().message()).contains(DefaultPreemption.EVICTING);
        assertThat(second.result()).isNull();
        assertThat(evicted).hasSize(1);
    }

    @Test
    void aFailedEvictionDropsTheNominationAfterTheOthersFinish() {
        List<String> evicted = Collections.synchronizedList(new ArrayList<>());
        PodEvictor evictor = new PodEvictor() {
            @Override
            public void evict(PodInfo victim, PodInfo preemptor) {
                if (victim.key().equals("default/b")) {
                    throw new IllegalStateException("the API refused");
                }
                evicted.add(victim.key());
            }

            @Override
            public void clearNominatedNodeName(PodInfo pod) {
            }
        };
        Nominator nominator = new Nominator();
        Framework fw = new Framework(InTreeRegistry.defaultProfile(), InTreeRegistry.factories(new Random(1)),
                new Framework.Options(new Random(1), nominator, new TestFrameworks.Recorder(), evictor, ClusterLister.EMPTY));
        Snapshot snap = Snapshot.of(ClusterLister.EMPTY,
                List.of(node("n1").allocatable("cpu", "2").info(cpu("a", "1", 1), cpu("b", "1", 1))));
        CycleState state = new CycleState();
        PodInfo p = cpu("p", "2", 100).info();
        nominator.addNominatedPod(p, "n1");
        ScheduleAttempt.NoFit nf = (ScheduleAttempt.NoFit) fw.schedulePod(state, p, snap);

        PostFilterPlugin.Outcome o = fw.runPostFilterPlugins(state, p, snap, nf.diagnosis());
        TestFrameworks.awaitEvictions(fw);

        assertThat(o.status()).isEqualTo(Status.SUCCESS);
        assertThat(evicted).containsExactly("default/a");
        assertThat(nominator.nominatedPodsForNode("n1")).isEmpty();
    }
}
