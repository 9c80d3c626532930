package dev.skiff.scheduler;

import dev.skiff.scheduler.framework.ClusterEvent;
import io.fabric8.kubernetes.api.model.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a node update (old and new object, as an informer delivers them) into the narrow cluster
 * events plugins register for, as upstream's {@code nodeSchedulingPropertiesChange}: allocatable,
 * labels, taints (and {@code spec.unschedulable}, which acts as a taint), and conditions. An update
 * that changes none of these (a heartbeat) yields no event, so it moves no pod.
 */
public final class NodeUpdateEvents {

    private NodeUpdateEvents() {
    }

    public static List<ClusterEvent> of(Node oldNode, Node newNode) {
        List<ClusterEvent> events = new ArrayList<>(2);
        var oldStatus = oldNode.getStatus();
        var newStatus = newNode.getStatus();
        if (!Objects.equals(oldStatus == null ? null : oldStatus.getAllocatable(), newStatus == null ? null : newStatus.getAllocatable())) {
            events.add(update(ClusterEvent.Action.UPDATE_NODE_ALLOCATABLE));
        }
        if (!Objects.equals(oldNode.getMetadata().getLabels(), newNode.getMetadata().getLabels())) {
            events.add(update(ClusterEvent.Action.UPDATE_NODE_LABEL));
        }
        var oldSpec = oldNode.getSpec();
        var newSpec = newNode.getSpec();
        if (!Objects.equals(oldSpec == null ? null : oldSpec.getTaints(), newSpec == null ? null : newSpec.getTaints())
                || !Objects.equals(oldSpec == null ? null : oldSpec.getUnschedulable(), newSpec == null ? null : newSpec.getUnschedulable())) {
            events.add(update(ClusterEvent.Action.UPDATE_NODE_TAINT));
        }
        if (conditionsChanged(oldStatus == null ? null : oldStatus.getConditions(), newStatus == null ? null : newStatus.getConditions())) {
            events.add(update(ClusterEvent.Action.UPDATE_NODE_CONDITION));
        }
        return events;
    }

    /** Compares condition types and statuses only: heartbeat timestamps change every few seconds. */
    private static boolean conditionsChanged(List<io.fabric8.kubernetes.api.model.NodeCondition> a,
                                             List<io.fabric8.kubernetes.api.model.NodeCondition> b) {
        List<String> x = a == null ? List.of() : a.stream().map(c -> c.getType() + "=" + c.getStatus()).sorted().toList();
        List<String> y = b == null ? List.of() : b.stream().map(c -> c.getType() + "=" + c.getStatus()).sorted().toList();
        return !x.equals(y);
    }

    private static ClusterEvent update(ClusterEvent.Action action) {
        return new ClusterEvent(ClusterEvent.Resource.NODE, action);
    }
}
