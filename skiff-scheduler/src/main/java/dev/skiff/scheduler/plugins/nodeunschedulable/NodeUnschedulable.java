package dev.skiff.scheduler.plugins.nodeunschedulable;

import dev.skiff.scheduler.api.TolerationMatcher;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

import java.util.List;

/**
 * Rejects nodes marked {@code spec.unschedulable} (cordoned), unless the pod tolerates the
 * {@code node.kubernetes.io/unschedulable:NoSchedule} taint, as upstream's plugin does.
 */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {

    public static final String NAME = "NodeUnschedulable";
    public static final String REASON = "node(s) were unschedulable";
    private static final Taint UNSCHEDULABLE_TAINT = new TaintBuilder()
            .withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Boolean unschedulable = node.node().getSpec() == null ? null : node.node().getSpec().getUnschedulable();
        if (!Boolean.TRUE.equals(unschedulable)) {
            return Status.SUCCESS;
        }
        if (TolerationMatcher.tolerated(pod.pod().getSpec().getTolerations(), UNSCHEDULABLE_TAINT)) {
            return Status.SUCCESS;
        }
        return Status.unresolvable(REASON);
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_TAINT));
    }
}
