package dev.skiff.scheduler.plugins.noderesources;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Resources;
import dev.skiff.scheduler.framework.ScorePlugin;

import java.util.List;

/**
 * Favors nodes whose cpu and memory would be used in equal proportion after placing the pod:
 * score = (1 - standard deviation of the used fractions) * 100, with fractions capped at 1. Uses
 * actual requests (not the non-zero defaults), as upstream v1.32 (which, unlike later releases, still
 * scores best-effort pods).
 */
public final class NodeResourcesBalancedAllocation implements ScorePlugin, EnqueueExtensions {

    public static final String NAME = "NodeResourcesBalancedAllocation";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Resources alloc = node.allocatable();
        Resources onNode = node.requested();
        Resources podReq = pod.requests();
        // a resource the node does not report is left out; with one resource left there is no deviation
        if (alloc.milliCpu() == 0 || alloc.memory() == 0) {
            return MAX_NODE_SCORE;
        }
        double cpu = Math.min(1.0, (double) (onNode.milliCpu() + podReq.milliCpu()) / alloc.milliCpu());
        double mem = Math.min(1.0, (double) (onNode.memory() + podReq.memory()) / alloc.memory());
        // with two resources the standard deviation is half their distance
        double std = Math.abs(cpu - mem) / 2;
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of();
    }
}
