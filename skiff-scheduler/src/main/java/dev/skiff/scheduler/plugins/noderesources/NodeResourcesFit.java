package dev.skiff.scheduler.plugins.noderesources;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Resources;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Filter: the node's allocatable minus what its pods request must cover the pod's effective
 * request (see {@link dev.skiff.scheduler.framework.EffectiveRequests}) for every resource the pod
 * asks for, and the node's pod count must have room. Each shortfall is one reason
 * ("Insufficient cpu", "Too many pods"). As in v1.32 every shortfall is resolvable, even a request
 * larger than the whole node (later releases mark that one unresolvable).
 * Score: LeastAllocated over cpu and memory (weight 1 each), using non-zero requests.
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin, EnqueueExtensions {

    public static final String NAME = "NodeResourcesFit";
    public static final String TOO_MANY_PODS = "Too many pods";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        // the reason list is made only on a shortfall: Filter runs on hundreds of nodes per pod
        List<String> reasons = null;
        if (node.podCount() + 1 > node.allowedPodNumber()) {
            reasons = add(null, TOO_MANY_PODS);
        }
        Resources req = pod.requests();
        Resources alloc = node.allocatable();
        Resources used = node.requested();
        reasons = check(reasons, Resources.CPU, req.milliCpu(), alloc.milliCpu(), used.milliCpu());
        reasons = check(reasons, Resources.MEMORY, req.memory(), alloc.memory(), used.memory());
        reasons = check(reasons, Resources.EPHEMERAL_STORAGE, req.ephemeralStorage(), alloc.ephemeralStorage(), used.ephemeralStorage());
        if (!req.scalars().isEmpty()) {
            for (Map.Entry<String, Long> e : req.scalars().entrySet()) {
                reasons = check(reasons, e.getKey(), e.getValue(), alloc.scalar(e.getKey()), used.scalar(e.getKey()));
            }
        }
        return reasons == null ? Status.SUCCESS : new Status.Unschedulable(reasons, false, null);
    }

    /** Adds "Insufficient NAME" when the node's free amount is short of a non-zero request. */
    private static List<String> check(List<String> reasons, String name, long wanted, long allocatable, long requested) {
        if (wanted > 0 && wanted > allocatable - requested) {
            return add(reasons, "Insufficient " + name);
        }
        return reasons;
    }

    private static List<String> add(List<String> reasons, String reason) {
        List<String> out = reasons == null ? new ArrayList<>(2) : reasons;
        out.add(reason);
        return out;
    }

    /** LeastAllocated: mean over cpu and memory of (allocatable - requested) * 100 / allocatable. */
    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Resources alloc = node.allocatable();
        Resources onNode = node.nonZeroRequested();
        Resources podReq = pod.nonZeroRequests();
        // summed by hand, not with Resources.plus: Score runs on every sampled node
        long cpu = leastRequested(onNode.milliCpu() + podReq.milliCpu(), alloc.milliCpu());
        long mem = leastRequested(onNode.memory() + podReq.memory(), alloc.memory());
        return (cpu + mem) / 2;
    }

    static long leastRequested(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * MAX_NODE_SCORE / capacity;
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of(new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.DELETE),
                new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.UPDATE_POD_SCALE_DOWN),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_ALLOCATABLE));
    }
}
