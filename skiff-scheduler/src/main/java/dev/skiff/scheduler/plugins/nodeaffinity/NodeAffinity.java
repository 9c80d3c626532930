package dev.skiff.scheduler.plugins.nodeaffinity;

import dev.skiff.scheduler.api.NodeSelectorMatcher;
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
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;

import java.util.List;
import java.util.Map;

/**
 * Filter: the node must carry every label of {@code spec.nodeSelector} and match one of the required
 * node affinity terms ("node(s) didn't match Pod's node affinity/selector", unresolvable).
 * Score: the sum of the weights of the preferred terms the node matches, normalized to [0, 100].
 */
public final class NodeAffinity implements FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {

    public static final String NAME = "NodeAffinity";
    public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    /** True when {@code node} satisfies the pod's nodeSelector and required node affinity (also used by PodTopologySpread). */
    public static boolean requiredMatches(Pod pod, Node node) {
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null && !selector.isEmpty()) {
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        io.fabric8.kubernetes.api.model.NodeAffinity na = pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
        NodeSelector required = na == null ? null : na.getRequiredDuringSchedulingIgnoredDuringExecution();
        return NodeSelectorMatcher.matches(required, node);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return requiredMatches(pod.pod(), node.node()) ? Status.SUCCESS : Status.unresolvable(REASON);
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, Snapshot snapshot) {
        return preferredTerms(pod.pod()).isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    private static List<PreferredSchedulingTerm> preferredTerms(Pod pod) {
        io.fabric8.kubernetes.api.model.NodeAffinity na = pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
        List<PreferredSchedulingTerm> terms = na == null ? null : na.getPreferredDuringSchedulingIgnoredDuringExecution();
        return terms == null ? List.of() : terms;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long sum = 0;
        for (PreferredSchedulingTerm t : preferredTerms(pod.pod())) {
            if (t.getWeight() != null && t.getWeight() != 0 && NodeSelectorMatcher.matchesTerm(t.getPreference(), node.node())) {
                sum += t.getWeight();
            }
        }
        return sum;
    }

    @Override
    public void normalizeScore(CycleState state, PodInfo pod, long[] scores) {
        ScoreExtensions.defaultNormalize(MAX_NODE_SCORE, false, scores);
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL),
                new ClusterEvent(ClusterEvent.Resource.POD, ClusterEvent.Action.UPDATE));
    }
}
