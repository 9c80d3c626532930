package dev.skiff.scheduler.plugins.tainttoleration;

import dev.skiff.scheduler.api.TolerationMatcher;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScoreExtensions;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Optional;

/**
 * Filter: a node with a {@code NoSchedule} or {@code NoExecute} taint that the pod does not tolerate
 * is rejected ("node(s) had untolerated taint {key: value}"), and no eviction can change that.
 * Score: the fewer untolerated {@code PreferNoSchedule} taints, the better (reverse-normalized).
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {

    public static final String NAME = "TaintToleration";
    private static final CycleState.Key<PreferNoScheduleTolerations> KEY =
            new CycleState.Key<>(NAME + "/preScore", PreferNoScheduleTolerations.class);

    /** The pod's tolerations that can tolerate PreferNoSchedule taints, computed once per cycle. */
    record PreferNoScheduleTolerations(List<Toleration> tolerations) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Optional<Taint> t = TolerationMatcher.firstUntolerated(node.node().getSpec() == null ? null : node.node().getSpec().getTaints(),
                pod.pod().getSpec().getTolerations(),
                taint -> "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()));
        if (t.isEmpty()) {
            return Status.SUCCESS;
        }
        Taint taint = t.get();
        return Status.unresolvable("node(s) had untolerated taint {" + taint.getKey() + ": "
                + (taint.getValue() == null ? "" : taint.getValue()) + "}");
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, Snapshot snapshot) {
        List<Toleration> all = pod.pod().getSpec().getTolerations() == null ? List.of() : pod.pod().getSpec().getTolerations();
        List<Toleration> relevant = all.stream()
                .filter(t -> t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect()))
                .toList();
        state.put(KEY, new PreferNoScheduleTolerations(relevant));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<Toleration> tolerations = state.get(KEY).tolerations();
        List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
        if (taints == null) {
            return 0;
        }
        long count = 0;
        for (Taint t : taints) {
            if ("PreferNoSchedule".equals(t.getEffect()) && !TolerationMatcher.tolerated(tolerations, t)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void normalizeScore(CycleState state, PodInfo pod, long[] scores) {
        ScoreExtensions.defaultNormalize(MAX_NODE_SCORE, true, scores);
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_TAINT),
                new ClusterEvent(ClusterEvent.Resource.POD, ClusterEvent.Action.UPDATE));
    }
}
