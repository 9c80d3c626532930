package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.queue.Nominator;
import dev.skiff.scheduler.queue.QueueOptions;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class PodEventHandlerTest {

    private final SchedulerCache cache = new SchedulerCache();
    // one plugin that wants every event, so that any requeue shows
    private final SchedulingQueue queue = new SchedulingQueue(InstantSource.system(), QueueOptions.DEFAULTS,
            Map.of("Any", List.of(new ClusterEvent(ClusterEvent.Resource.WILDCARD, ClusterEvent.Action.ALL))), new Nominator());
    private final PodEventHandler handler = new PodEventHandler(cache, queue, "default-scheduler");

    private static Pod withPhase(Pod p, String phase) {
        return new PodBuilder(p).editStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void pendingPodsOfThisSchedulerAreQueuedOthersAreNot() {
        handler.onAdd(pod("mine").build());
        Pod foreign = pod("foreign").build();
        foreign.getSpec().setSchedulerName("other-scheduler");
        handler.onAdd(foreign);
        handler.onAdd(withPhase(pod("done").build(), "Succeeded"));
        assertThat(queue.where("default/mine")).isEqualTo(SchedulingQueue.Where.ACTIVE);
        assertThat(queue.where("default/foreign")).isEqualTo(SchedulingQueue.Where.ABSENT);
        assertThat(queue.where("default/done")).isEqualTo(SchedulingQueue.Where.ABSENT);
    }

    @Test
    void bindingMovesAPodFromQueueToCacheAndFinishingFreesIt() {
        cache.addNode(node("n1").build());
        Pod pending = pod("p").container("cpu=1").build();
        handler.onAdd(pending);
        Pod bound = pod("p").container("cpu=1").nodeName("n1").build();
        handler.onUpdate(pending, bound);
        assertThat(queue.where("default/p")).isEqualTo(SchedulingQueue.Where.ABSENT);
        assertThat(cache.contains("default/p")).isTrue();
        handler.onUpdate(bound, withPhase(bound, "Failed"));
        assertThat(cache.contains("default/p")).as("a finished pod holds no room").isFalse();
    }

    @Test
    void aStatusOnlyUpdateDoesNotRequeueAParkedPod() throws Exception {
        Pod p = pod("parked").build();
        handler.onAdd(p);
        var popped = queue.pop(java.time.Duration.ZERO).orElseThrow();
        queue.addUnschedulable(popped.rejectedBy(java.util.Set.of("Any")), queue.schedulingCycle());
        assertThat(queue.where("default/parked")).isEqualTo(SchedulingQueue.Where.UNSCHEDULABLE);
        Pod withCondition = new PodBuilder(p).editStatus().addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").endCondition().endStatus().build();
        handler.onUpdate(p, withCondition);
        assertThat(queue.where("default/parked")).as("the scheduler's own status write").isEqualTo(SchedulingQueue.Where.UNSCHEDULABLE);
        Pod relabelled = new PodBuilder(withCondition).editMetadata().addToLabels("app", "x").endMetadata().build();
        handler.onUpdate(withCondition, relabelled);
        assertThat(queue.where("default/parked")).isNotEqualTo(SchedulingQueue.Where.UNSCHEDULABLE);
    }

    @Test
    void deletingABoundPodFreesItsRoom() {
        cache.addNode(node("n1").build());
        Pod bound = pod("b").nodeName("n1").build();
        handler.onAdd(bound);
        assertThat(cache.contains("default/b")).isTrue();
        handler.onDelete(bound, false);
        assertThat(cache.contains("default/b")).isFalse();
    }

    @Test
    void aStatusOnlyUpdateRefreshesTheQueuedPodWithoutRequeueingIt() throws InterruptedException {
        Pod p = pod("p").build();
        handler.onAdd(p);
        Pod nominated = new PodBuilder(p).editOrNewStatus().withNominatedNodeName("n1").endStatus().build();
        handler.onUpdate(p, nominated);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.pop(java.time.Duration.ZERO).orElseThrow().pod().pod().getStatus().getNominatedNodeName())
                .isEqualTo("n1");
    }
}
