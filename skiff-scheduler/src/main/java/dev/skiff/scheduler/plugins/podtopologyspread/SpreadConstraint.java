package dev.skiff.scheduler.plugins.podtopologyspread;

import dev.skiff.scheduler.api.Selector;
import dev.skiff.scheduler.api.TolerationMatcher;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One compiled topology spread constraint: the selector (with {@code matchLabelKeys} folded in),
 * the domain key, how much skew is allowed, and which nodes count (node inclusion policies:
 * affinity honored, taints ignored by default, as upstream).
 */
record SpreadConstraint(int maxSkew, String topologyKey, Selector selector, int minDomains,
                        boolean honorNodeAffinity, boolean honorNodeTaints) {

    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    /** The pod's constraints with the given {@code whenUnsatisfiable}. */
    static List<SpreadConstraint> fromPod(Pod pod, String whenUnsatisfiable) {
        List<TopologySpreadConstraint> all = pod.getSpec().getTopologySpreadConstraints();
        if (all == null) {
            return List.of();
        }
        Map<String, String> podLabels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        List<SpreadConstraint> out = new ArrayList<>();
        for (TopologySpreadConstraint c : all) {
            if (!whenUnsatisfiable.equals(c.getWhenUnsatisfiable())) {
                continue;
            }
            Selector sel = Selector.of(c.getLabelSelector());
            if (c.getMatchLabelKeys() != null) {
                for (String k : c.getMatchLabelKeys()) {
                    if (podLabels.containsKey(k)) {
                        sel = sel.and(Selector.ofLabels(Map.of(k, podLabels.get(k))));
                    }
                }
            }
            out.add(new SpreadConstraint(c.getMaxSkew(), c.getTopologyKey(), sel,
                    c.getMinDomains() == null ? 1 : c.getMinDomains(),
                    !"Ignore".equals(c.getNodeAffinityPolicy()),
                    "Honor".equals(c.getNodeTaintsPolicy())));
        }
        return out;
    }

    /** True when this constraint's inclusion policies let {@code node} count for {@code pod}. */
    boolean includes(PodInfo pod, NodeInfo node) {
        if (honorNodeAffinity && !NodeAffinity.requiredMatches(pod.pod(), node.node())) {
            return false;
        }
        if (honorNodeTaints) {
            var taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
            return TolerationMatcher.firstUntolerated(taints, pod.pod().getSpec().getTolerations(),
                    t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())).isEmpty();
        }
        return true;
    }

    /** How many pods on {@code node} this constraint counts: same namespace, selected, not terminating. */
    int countMatching(NodeInfo node, String namespace) {
        int n = 0;
        List<PodInfo> pods = node.pods();
        for (int i = 0, size = pods.size(); i < size; i++) {
            PodInfo p = pods.get(i);
            if (!p.isTerminating() && p.namespace().equals(namespace) && selector.matches(p.labels())) {
                n++;
            }
        }
        return n;
    }

    /** True when {@code node} has every constraint's topology key. */
    static boolean hasAllKeys(NodeInfo node, List<SpreadConstraint> constraints) {
        Map<String, String> labels = node.labels();
        for (SpreadConstraint c : constraints) {
            if (!labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }
}
