package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.TestFrameworks;
import dev.skiff.scheduler.plugins.InTreeRegistry;
import dev.skiff.scheduler.queue.Nominator;
import dev.skiff.scheduler.queue.QueueOptions;
import dev.skiff.scheduler.queue.SchedulingQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SchedulingLoopTest {

    @Test
    void schedulesInTheBackgroundAndRetriesAfterBackoff() throws Exception {
        List<String> bound = new CopyOnWriteArrayList<>();
        Nominator nominator = new Nominator();
        TestFrameworks.Recorder rec = new TestFrameworks.Recorder();
        Framework fw = new Framework(InTreeRegistry.defaultProfile(), InTreeRegistry.factories(new Random(1)),
                new Framework.Options(new Random(1), nominator, (p, n) -> bound.add(p.key() + "->" + n), rec, ClusterLister.EMPTY));
        SchedulingQueue queue = new SchedulingQueue(InstantSource.system(), QueueOptions.DEFAULTS, fw.eventsByPlugin(), nominator);
        SchedulerCache cache = new SchedulerCache();
        try (SchedulingLoop loop = new SchedulingLoop(new Scheduler(fw, cache, queue, SchedulingEvents.NONE), queue)) {
            queue.add(pod("a").build());
            await().atMost(Duration.ofSeconds(5)).until(() -> queue.where("default/a") == SchedulingQueue.Where.BACKOFF
                    || queue.where("default/a") == SchedulingQueue.Where.UNSCHEDULABLE);
            cache.addNode(node("n1").build());
            queue.onClusterEvent(ClusterEvent.NODE_ADD);
            await().atMost(Duration.ofSeconds(10)).until(() -> bound.contains("default/a->n1"));
        }
        assertThat(queue.pop(Duration.ofMillis(10))).as("closed queue").isEmpty();
    }

    @Test
    void nodeUpdatesBecomeNarrowEvents() {
        var plain = node("n").build();
        assertThat(NodeUpdateEvents.of(plain, node("n").build())).isEmpty();
        assertThat(NodeUpdateEvents.of(plain, node("n").label("disk", "ssd").build()))
                .containsExactly(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL));
        assertThat(NodeUpdateEvents.of(plain, node("n").unschedulable().build()))
                .containsExactly(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_TAINT));
        assertThat(NodeUpdateEvents.of(plain, node("n").allocatable("cpu", "8").build()))
                .containsExactly(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_ALLOCATABLE));
    }
}
