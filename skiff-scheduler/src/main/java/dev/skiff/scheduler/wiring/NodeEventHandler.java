package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.NodeUpdateEvents;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.Objects;

/**
 * Feeds node events to the {@link SchedulerCache} and tells the {@link SchedulingQueue} only what
 * may make parked pods fit: a new node, or a change in allocatable, labels, taints or conditions
 * ({@link NodeUpdateEvents}). A status heartbeat moves no pod.
 */
final class NodeEventHandler implements ResourceEventHandler<Node> {

    private final SchedulerCache cache;
    private final SchedulingQueue queue;

    NodeEventHandler(SchedulerCache cache, SchedulingQueue queue) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    @Override
    public void onAdd(Node node) {
        cache.addNode(node);
        queue.onClusterEvent(ClusterEvent.NODE_ADD);
    }

    @Override
    public void onUpdate(Node old, Node node) {
        cache.updateNode(node);
        for (ClusterEvent e : NodeUpdateEvents.of(old, node)) {
            queue.onClusterEvent(e);
        }
    }

    @Override
    public void onDelete(Node node, boolean deletedFinalStateUnknown) {
        cache.removeNode(node.getMetadata().getName());
    }
}
