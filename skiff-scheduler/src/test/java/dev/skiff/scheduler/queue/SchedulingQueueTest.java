package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.plugins.noderesources.NodeResourcesFit;
import dev.skiff.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.skiff.scheduler.framework.TestPods.pod;
import static dev.skiff.scheduler.queue.SchedulingQueue.Where.ACTIVE;
import static dev.skiff.scheduler.queue.SchedulingQueue.Where.BACKOFF;
import static dev.skiff.scheduler.queue.SchedulingQueue.Where.UNSCHEDULABLE;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulingQueueTest {

    final FakeClock clock = new FakeClock();
    final Nominator nominator = new Nominator();
    final SchedulingQueue q = new SchedulingQueue(clock, QueueOptions.DEFAULTS, Map.of(
            NodeResourcesFit.NAME, new NodeResourcesFit().eventsToRegister(),
            NodeAffinity.NAME, new NodeAffinity().eventsToRegister()), nominator);

    QueuedPodInfo pop() throws InterruptedException {
        return q.pop(Duration.ZERO).orElseThrow();
    }

    /** Pops {@code key}'s pod and returns it as rejected by {@code plugins}. */
    void failWith(String key, Set<String> plugins) throws InterruptedException {
        QueuedPodInfo p = pop();
        assertThat(p.key()).isEqualTo(key);
        q.addUnschedulable(p.rejectedBy(plugins), q.schedulingCycle());
    }

    @Test
    void popsHighestPriorityThenOldest() throws InterruptedException {
        q.add(pod("low").priority(1).build());
        clock.advance(Duration.ofMillis(1));
        q.add(pod("high-late").priority(10).build());
        q.add(pod("none").build());
        clock.advance(Duration.ofMillis(1));
        q.add(pod("high-later").priority(10).build());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(pop().pod().pod().getMetadata().getName());
        }
        assertThat(order).containsExactly("high-late", "high-later", "low", "none");
        assertThat(q.pop(Duration.ofMillis(20))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "3, 4", "4, 8", "5, 10", "30, 10"})
    void backoffDoublesToTenSeconds(int attempts, int seconds) {
        assertThat(QueueOptions.DEFAULTS.backoffFor(attempts)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void errorsBackOffAndReturnAfterTheirBackoff() throws InterruptedException {
        q.add(pod("p").build());
        failWith("default/p", Set.of());
        assertThat(q.where("default/p")).isEqualTo(BACKOFF);
        clock.advance(Duration.ofMillis(999));
        q.flushBackoffCompleted();
        assertThat(q.where("default/p")).isEqualTo(BACKOFF);
        clock.advance(Duration.ofMillis(1));
        q.flushBackoffCompleted();
        assertThat(q.where("default/p")).isEqualTo(ACTIVE);
        failWith("default/p", Set.of());
        clock.advance(Duration.ofMillis(1999));
        q.flushBackoffCompleted();
        assertThat(q.where("default/p")).as("second attempt backs off 2 s").isEqualTo(BACKOFF);
        clock.advance(Duration.ofMillis(1));
        q.flushBackoffCompleted();
        assertThat(q.where("default/p")).isEqualTo(ACTIVE);
    }

    @Test
    void unschedulablePodsMoveOnlyOnEventsTheirPluginsRegistered() throws InterruptedException {
        q.add(pod("p").build());
        failWith("default/p", Set.of(NodeResourcesFit.NAME));
        assertThat(q.where("default/p")).isEqualTo(UNSCHEDULABLE);
        q.onClusterEvent(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL));
        assertThat(q.where("default/p")).isEqualTo(UNSCHEDULABLE);
        clock.advance(Duration.ofSeconds(5));
        q.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
        assertThat(q.where("default/p")).as("back-off over: straight to activeQ").isEqualTo(ACTIVE);
    }

    @Test
    void aMovedPodStillBackingOffWaitsInBackoffQ() throws InterruptedException {
        q.add(pod("p").build());
        failWith("default/p", Set.of(NodeAffinity.NAME));
        q.onClusterEvent(ClusterEvent.NODE_ADD);
        assertThat(q.where("default/p")).isEqualTo(BACKOFF);
    }

    @Test
    void anEventDuringTheCycleSendsTheFailedPodToBackoffNotUnschedulable() throws InterruptedException {
        q.add(pod("p").build());
        QueuedPodInfo p = pop();
        long cycle = q.schedulingCycle();
        q.onClusterEvent(ClusterEvent.NODE_ADD); // arrives while p is being scheduled
        q.addUnschedulable(p.rejectedBy(Set.of(NodeResourcesFit.NAME)), cycle);
        assertThat(q.where("default/p")).isEqualTo(BACKOFF);
    }

    @Test
    void podsLeftUnschedulableForFiveMinutesAreRetried() throws InterruptedException {
        q.add(pod("p").build());
        failWith("default/p", Set.of(NodeResourcesFit.NAME));
        clock.advance(Duration.ofMinutes(5));
        q.flushUnschedulableLeftover();
        assertThat(q.where("default/p")).isEqualTo(UNSCHEDULABLE);
        clock.advance(Duration.ofSeconds(1));
        q.flushUnschedulableLeftover();
        assertThat(q.where("default/p")).isEqualTo(ACTIVE);
    }

    @Test
    void gatedPodsWaitUntilTheirGatesAreRemoved() {
        q.add(pod("g").gated().build());
        assertThat(q.where("default/g")).isEqualTo(UNSCHEDULABLE);
        q.onClusterEvent(ClusterEvent.UNSCHEDULABLE_TIMEOUT);
        clock.advance(Duration.ofMinutes(10));
        q.flushUnschedulableLeftover();
        assertThat(q.where("default/g")).isEqualTo(UNSCHEDULABLE);
        q.update(pod("g").build());
        assertThat(q.where("default/g")).isEqualTo(ACTIVE);
    }

    @Test
    void updatingAParkedPodRetriesIt() throws InterruptedException {
        q.add(pod("p").build());
        failWith("default/p", Set.of(NodeResourcesFit.NAME));
        clock.advance(Duration.ofSeconds(2));
        q.update(pod("p").label("changed", "yes").build());
        assertThat(q.where("default/p")).isEqualTo(ACTIVE);
        assertThat(pop().pod().labels()).containsEntry("changed", "yes");
    }

    @Test
    void aStatusRefreshKeepsAParkedPodParkedWithTheNewerObject() throws InterruptedException {
        q.add(pod("p").build());
        failWith("default/p", Set.of(NodeResourcesFit.NAME));
        q.refresh(nominated(pod("p").build(), "n7"));
        assertThat(q.where("default/p")).isEqualTo(UNSCHEDULABLE);
        q.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
        clock.advance(Duration.ofSeconds(2));
        q.flushBackoffCompleted();
        assertThat(pop().pod().pod().getStatus().getNominatedNodeName()).isEqualTo("n7");
    }

    @Test
    void aStatusRefreshDuringTheCycleIsKeptWhenThePodFails() throws InterruptedException {
        q.add(pod("p").build());
        QueuedPodInfo popped = pop();
        q.refresh(nominated(pod("p").build(), "n3")); // the scheduler's own nominatedNodeName write
        q.addUnschedulable(popped.rejectedBy(Set.of(NodeResourcesFit.NAME)), q.schedulingCycle());
        assertThat(q.where("default/p")).isEqualTo(UNSCHEDULABLE);
        q.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
        clock.advance(Duration.ofSeconds(2));
        q.flushBackoffCompleted();
        QueuedPodInfo again = pop();
        assertThat(again.pod().pod().getStatus().getNominatedNodeName()).isEqualTo("n3");
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void refreshDoesNotAddAPodTheQueueDoesNotHold() {
        q.refresh(pod("stranger").build());
        assertThat(q.where("default/stranger")).isEqualTo(SchedulingQueue.Where.ABSENT);
        assertThat(q.size()).isZero();
    }

    private static Pod nominated(Pod p, String node) {
        return new PodBuilder(p).editOrNewStatus().withNominatedNodeName(node).endStatus().build();
    }

    @Test
    void isBoundedAndForgetsDeletedPods() {
        SchedulingQueue small = new SchedulingQueue(clock, new QueueOptions(Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(5), 2), Map.of(), new Nominator());
        assertThat(small.add(pod("a").build())).isTrue();
        assertThat(small.add(pod("b").build())).isTrue();
        assertThat(small.add(pod("c").build())).isFalse();
        assertThat(small.add(pod("a").label("x", "y").build())).as("re-adding a queued pod is an update").isTrue();
        small.delete("default/a");
        assertThat(small.where("default/a")).isEqualTo(SchedulingQueue.Where.ABSENT);
        assertThat(small.add(pod("c").build())).isTrue();
    }

    @Test
    void popWakesWhenAPodArrives() throws Exception {
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            q.add(pod("late").build());
        });
        assertThat(q.pop(Duration.ofSeconds(5))).hasValueSatisfying(p -> assertThat(p.key()).isEqualTo("default/late"));
        t.join();
        q.close();
        assertThat(q.pop(Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void remembersNominations() {
        PodInfo a = pod("a").info();
        nominator.addNominatedPod(a, "n1");
        assertThat(nominator.nominatedPodsForNode("n1")).containsExactly(a);
        nominator.addNominatedPod(a, "n2");
        assertThat(nominator.nominatedPodsForNode("n1")).isEmpty();
        assertThat(nominator.nominatedPodsForNode("n2")).containsExactly(a);
        q.delete("default/a");
        assertThat(nominator.nominatedPodsForNode("n2")).isEmpty();
    }
}
