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
 * actual requests (not the non-zero defaults), as upstream.
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
        Resources used = node.requested().plus(pod.requests());
        double cpu = fraction(used.milliCpu(), alloc.milliCpu());
        double mem = fraction(used.memory(), alloc.memory());
        // with two resources the standard deviation is half their distance
        double std = Math.abs(cpu - mem) / 2;
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }

    private static double fraction(long requested, long capacity) {
        if (capacity == 0) {
            return 1;
        }
        return Math.min(1.0, (double) requested / capacity);
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of();
    }
}
