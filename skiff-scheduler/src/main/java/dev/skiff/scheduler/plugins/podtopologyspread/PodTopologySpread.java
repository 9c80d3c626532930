package dev.skiff.scheduler.plugins.podtopologyspread;

import dev.skiff.scheduler.api.Selector;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.FrameworkHandle;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PreFilterExtensions;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScoreExtensions;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spreads pods over topology domains. Hard constraints ({@code DoNotSchedule}) filter: placing the
 * pod must not push a domain's matching-pod count more than {@code maxSkew} above the least loaded
 * domain. Soft constraints ({@code ScheduleAnyway}) score: fewer matching pods in the node's domains
 * score higher. Pods without any constraint get the cluster defaults (hostname maxSkew 3, zone
 * maxSkew 5, soft) over the selector of the Services and workloads that own them.
 *
 * <p>Cost per cycle: one pass over all nodes counting matching pods of the pod's namespace, done
 * only for pods that have constraints (or owners that give defaults), as upstream.
 */
public final class PodTopologySpread implements PreFilterPlugin, PreFilterExtensions, FilterPlugin, PreScorePlugin,
        ScorePlugin, ScoreExtensions, EnqueueExtensions {

    public static final String NAME = "PodTopologySpread";
    public static final String HOSTNAME_KEY = "kubernetes.io/hostname";
    public static final String ZONE_KEY = "topology.kubernetes.io/zone";
    public static final String REASON_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
    public static final String REASON_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

    private static final CycleState.Key<FilterState> FILTER_KEY = new CycleState.Key<>(NAME + "/preFilter", FilterState.class);
    private static final CycleState.Key<ScoreState> SCORE_KEY = new CycleState.Key<>(NAME + "/preScore", ScoreState.class);

    private final FrameworkHandle handle;

    public PodTopologySpread(FrameworkHandle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    // ---- filtering ----------------------------------------------------------------------------

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        List<SpreadConstraint> constraints = SpreadConstraint.fromPod(pod.pod(), SpreadConstraint.DO_NOT_SCHEDULE);
        if (constraints.isEmpty()) {
            return Status.SKIP;
        }
        Map<TopologyPair, Integer> counts = new HashMap<>();
        for (NodeInfo n : snapshot.nodes()) {
            if (!SpreadConstraint.hasAllKeys(n, constraints)) {
                continue;
            }
            for (SpreadConstraint c : constraints) {
                if (c.includes(pod, n)) {
                    counts.merge(new TopologyPair(c.topologyKey(), n.labels().get(c.topologyKey())),
                            c.countMatching(n, pod.namespace()), Integer::sum);
                }
            }
        }
        state.put(FILTER_KEY, new FilterState(constraints, counts));
        return Status.SUCCESS;
    }

    @Override
    public PreFilterExtensions preFilterExtensions() {
        return this;
    }

    @Override
    public Status addPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node) {
        return adjust(state, pod, added, node, 1);
    }

    @Override
    public Status removePod(CycleState state, PodInfo pod, PodInfo removed, NodeInfo node) {
        return adjust(state, pod, removed, node, -1);
    }

    private Status adjust(CycleState state, PodInfo pod, PodInfo changed, NodeInfo node, int delta) {
        FilterState s = state.getOrNull(FILTER_KEY);
        if (s == null || !SpreadConstraint.hasAllKeys(node, s.constraints) || !changed.namespace().equals(pod.namespace())) {
            return Status.SUCCESS;
        }
        for (SpreadConstraint c : s.constraints) {
            if (c.includes(pod, node) && c.selector().matches(changed.labels())) {
                s.matchCounts.merge(new TopologyPair(c.topologyKey(), node.labels().get(c.topologyKey())), delta, Integer::sum);
            }
        }
        s.recomputeMinimums();
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.get(FILTER_KEY);
        Map<String, String> labels = node.labels();
        for (int i = 0; i < s.constraints.size(); i++) {
            SpreadConstraint c = s.constraints.get(i);
            String value = labels.get(c.topologyKey());
            if (value == null) {
                return Status.unresolvable(REASON_MISSING_LABEL);
            }
            int selfMatch = c.selector().matches(pod.labels()) ? 1 : 0;
            int matchNum = s.matchCounts.getOrDefault(new TopologyPair(c.topologyKey(), value), 0);
            int skew = matchNum + selfMatch - s.minMatch(i);
            if (skew > c.maxSkew()) {
                return Status.unschedulable(REASON_NOT_MATCH);
            }
        }
        return Status.SUCCESS;
    }

    // ---- scoring ------------------------------------------------------------------------------

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, Snapshot snapshot) {
        boolean podHasConstraints = pod.pod().getSpec().getTopologySpreadConstraints() != null
                && !pod.pod().getSpec().getTopologySpreadConstraints().isEmpty();
        List<SpreadConstraint> constraints;
        if (podHasConstraints) {
            constraints = SpreadConstraint.fromPod(pod.pod(), SpreadConstraint.SCHEDULE_ANYWAY);
        } else {
            Selector sel = DefaultSelector.of(pod.pod(), handle.lister());
            constraints = sel.isEmpty() ? List.of() : DefaultSelector.systemDefaults(sel);
        }
        if (constraints.isEmpty()) {
            return Status.SKIP;
        }
        // system defaults do not require nodes to carry every key (clusters without zones still spread by host)
        boolean requireAll = podHasConstraints;
        Set<String> ignored = new HashSet<>();
        Map<TopologyPair, Integer> domainCounts = new HashMap<>();
        List<Set<String>> valuesPerConstraint = new ArrayList<>();
        constraints.forEach(c -> valuesPerConstraint.add(new HashSet<>()));
        List<String> order = new ArrayList<>(feasibleNodes.size());
        for (NodeInfo n : feasibleNodes) {
            order.add(n.name());
            if (requireAll && !SpreadConstraint.hasAllKeys(n, constraints)) {
                ignored.add(n.name());
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                String v = n.labels().get(c.topologyKey());
                if (v == null) {
                    continue;
                }
                valuesPerConstraint.get(i).add(v);
                if (!c.topologyKey().equals(HOSTNAME_KEY)) {
                    domainCounts.putIfAbsent(new TopologyPair(c.topologyKey(), v), 0);
                }
            }
        }
        double[] weights = new double[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            int size = constraints.get(i).topologyKey().equals(HOSTNAME_KEY)
                    ? feasibleNodes.size() - ignored.size() : valuesPerConstraint.get(i).size();
            weights[i] = Math.log(size + 2);
        }
        if (!domainCounts.isEmpty()) {
            for (NodeInfo n : snapshot.nodes()) {
                if (requireAll && !SpreadConstraint.hasAllKeys(n, constraints)) {
                    continue;
                }
                for (SpreadConstraint c : constraints) {
                    String v = n.labels().get(c.topologyKey());
                    if (v == null || c.topologyKey().equals(HOSTNAME_KEY) || !c.includes(pod, n)) {
                        continue;
                    }
                    TopologyPair pair = new TopologyPair(c.topologyKey(), v);
                    if (domainCounts.containsKey(pair)) {
                        domainCounts.merge(pair, c.countMatching(n, pod.namespace()), Integer::sum);
                    }
                }
            }
        }
        state.put(SCORE_KEY, new ScoreState(constraints, domainCounts, weights, ignored, order));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.get(SCORE_KEY);
        if (s.ignoredNodes().contains(node.name())) {
            return 0;
        }
        double score = 0;
        for (int i = 0; i < s.constraints().size(); i++) {
            SpreadConstraint c = s.constraints().get(i);
            String v = node.labels().get(c.topologyKey());
            if (v == null) {
                continue;
            }
            int count = c.topologyKey().equals(HOSTNAME_KEY)
                    ? c.countMatching(node, pod.namespace())
                    : s.domainCounts().getOrDefault(new TopologyPair(c.topologyKey(), v), 0);
            score += count * s.weights()[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    @Override
    public void normalizeScore(CycleState state, PodInfo pod, long[] scores) {
        ScoreState s = state.get(SCORE_KEY);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes().contains(s.nodeOrder().get(i))) {
                continue;
            }
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes().contains(s.nodeOrder().get(i))) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of(new ClusterEvent(ClusterEvent.Resource.POD, ClusterEvent.Action.ALL),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.DELETE),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_TAINT));
    }
}
