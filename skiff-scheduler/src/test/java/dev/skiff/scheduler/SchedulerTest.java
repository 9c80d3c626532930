package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.TestFrameworks;
import dev.skiff.scheduler.queue.FakeClock;
import dev.skiff.scheduler.queue.Nominator;
import dev.skiff.scheduler.queue.QueueOptions;
import dev.skiff.scheduler.queue.QueuedPodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {

    final FakeClock clock = new FakeClock();
    final SchedulerCache cache = new SchedulerCache();
    final TestFrameworks.Recorder recorder = new TestFrameworks.Recorder();
    final List<String> failures = new ArrayList<>();
    SchedulingQueue queue;
    Nominator nominator;
    Scheduler scheduler;
    Framework framework;

    void start(dev.skiff.scheduler.framework.PodBinder binder) {
        nominator = new Nominator();
        Framework fw = new Framework(dev.skiff.scheduler.plugins.InTreeRegistry.defaultProfile(),
                dev.skiff.scheduler.plugins.InTreeRegistry.factories(new java.util.Random(3)),
                new Framework.Options(new java.util.Random(3), nominator, binder, recorder, ClusterLister.EMPTY));
        framework = fw;
        queue = new SchedulingQueue(clock, QueueOptions.DEFAULTS, fw.eventsByPlugin(), nominator);
        scheduler = new Scheduler(fw, cache, queue, new SchedulingEvents() {
            @Override
            public void scheduled(PodInfo pod, String nodeName) {
            }

            @Override
            public void failedScheduling(PodInfo pod, String reason, String message, String nominatedNodeName) {
                failures.add(pod.key() + ": " + message);
            }
        });
    }

    CycleOutcome next() throws InterruptedException {
        QueuedPodInfo p = queue.pop(Duration.ZERO).orElseThrow();
        return scheduler.scheduleOne(p);
    }

    @Test
    void fillsNodesThenParksThePodUntilRoomIsFreed() throws InterruptedException {
        start(recorder);
        cache.addNode(node("n1").build());
        cache.addNode(node("n2").build());
        for (int i = 0; i < 5; i++) {
            queue.add(pod("p" + i).container("cpu=2").build());
        }
        List<CycleOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(next());
        }
        assertThat(outcomes.subList(0, 4)).allMatch(o -> o instanceof CycleOutcome.Bound);
        assertThat(recorder.bound).hasSize(4);
        assertThat(outcomes.get(4)).isEqualTo(new CycleOutcome.Unschedulable("default/p4",
                "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..",
                "", List.of()));
        assertThat(queue.where("default/p4")).isEqualTo(SchedulingQueue.Where.UNSCHEDULABLE);
        // a bound pod goes away: the parked pod is retried after its back-off and fits
        String freedNode = recorder.bound.getFirst().split("->")[1];
        cache.removePod(recorder.bound.getFirst().split("->")[0]);
        queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
        clock.advance(Duration.ofSeconds(1));
        queue.flushBackoffCompleted();
        assertThat(next()).isEqualTo(new CycleOutcome.Bound("default/p4", freedNode));
    }

    @Test
    void preemptsThenBindsToTheNominatedNodeOnceVictimsAreGone() throws InterruptedException {
        start(recorder);
        cache.addNode(node("n1").build());
        cache.addOrUpdateBoundPod(pod("low").container("cpu=3").priority(1).info(), "n1");
        queue.add(pod("vip").container("cpu=2").priority(1000).build());
        CycleOutcome first = next();
        assertThat(first).isInstanceOfSatisfying(CycleOutcome.Unschedulable.class, u -> {
            assertThat(u.nominatedNode()).isEqualTo("n1");
            // a successful preemption adds nothing to the message, as upstream
            assertThat(u.message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
            assertThat(u.victims()).extracting(PodInfo::key).containsExactly("default/low");
        });
        TestFrameworks.awaitEvictions(framework);
        assertThat(recorder.evicted).containsExactly("default/low");
        assertThat(nominator.nominatedPodsForNode("n1")).extracting(PodInfo::key).containsExactly("default/vip");
        // the API deletes the victim; the informer tells the cache and the queue
        cache.removePod("default/low");
        queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
        clock.advance(Duration.ofSeconds(1));
        queue.flushBackoffCompleted();
        assertThat(next()).isEqualTo(new CycleOutcome.Bound("default/vip", "n1"));
        assertThat(nominator.nominatedPodsForNode("n1")).isEmpty();
    }

    @Test
    void aFailedBindingIsForgottenAndRetried() throws InterruptedException {
        int[] calls = {0};
        start((pod, node) -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("conflict");
            }
        });
        cache.addNode(node("n1").build());
        queue.add(pod("p").container("cpu=3").build());
        assertThat(next()).isInstanceOfSatisfying(CycleOutcome.Failed.class, f -> assertThat(f.message()).contains("conflict"));
        assertThat(cache.podCount()).isZero();
        assertThat(queue.where("default/p")).isEqualTo(SchedulingQueue.Where.BACKOFF);
        clock.advance(Duration.ofSeconds(1));
        queue.flushBackoffCompleted();
        assertThat(next()).isEqualTo(new CycleOutcome.Bound("default/p", "n1"));
        assertThat(cache.isAssumed("default/p")).isTrue();
    }

    @Test
    void skipsPodsAlreadyPlacedOrBeingDeleted() throws InterruptedException {
        start(recorder);
        cache.addNode(node("n1").build());
        cache.addOrUpdateBoundPod(pod("placed").info(), "n1");
        queue.add(pod("placed").build());
        assertThat(next()).isEqualTo(new CycleOutcome.Skipped("default/placed"));
        var going = pod("going").build();
        going.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        queue.add(going);
        assertThat(next()).isEqualTo(new CycleOutcome.Skipped("default/going"));
        assertThat(recorder.bound).isEmpty();
        assertThat(queue.where("default/going")).isEqualTo(SchedulingQueue.Where.ABSENT);
    }

    @Test
    void noNodesAtAll() throws InterruptedException {
        start(recorder);
        queue.add(pod("p").build());
        assertThat(next()).isInstanceOfSatisfying(CycleOutcome.Unschedulable.class,
                u -> assertThat(u.message()).startsWith("0/0 nodes are available"));
        assertThat(failures).hasSize(1);
    }
}
