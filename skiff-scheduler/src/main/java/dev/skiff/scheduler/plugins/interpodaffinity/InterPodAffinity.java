package dev.skiff.scheduler.plugins.interpodaffinity;

import dev.skiff.scheduler.framework.AffinityTerm;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod affinity and anti-affinity. Filter, in upstream's order: the pod's required affinity terms
 * must each find a selected pod in the node's domain (unless no pod anywhere matches and the pod
 * matches its own terms, so the first of a group can land); its required anti-affinity terms must
 * find none; and no existing pod's required anti-affinity may select the pod within the node's
 * domain. Score: preferred terms of the pod and of existing pods (existing pods' required affinity
 * counts with weight 1), normalized between the lowest and highest node.
 *
 * <p>Cost: existing pods' anti-affinity is read only from nodes listed as holding such pods; a full
 * pass over pods happens only when the incoming pod itself has affinity terms.
 */
public final class InterPodAffinity implements PreFilterPlugin, PreFilterExtensions, FilterPlugin, PreScorePlugin,
        ScorePlugin, ScoreExtensions, EnqueueExtensions {

    public static final String NAME = "InterPodAffinity";
    public static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    public static final String REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
    /** Upstream's default weight of existing pods' required affinity terms in scoring. */
    static final int HARD_POD_AFFINITY_WEIGHT = 1;

    private static final CycleState.Key<AffinityCounts> FILTER_KEY = new CycleState.Key<>(NAME + "/preFilter", AffinityCounts.class);
    private static final CycleState.Key<AffinityScores> SCORE_KEY = new CycleState.Key<>(NAME + "/preScore", AffinityScores.class);

    private final FrameworkHandle handle;

    public InterPodAffinity(FrameworkHandle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    private Map<String, String> nsLabels(String namespace) {
        return handle.lister().namespaceLabels(namespace);
    }

    // ---- filtering ----------------------------------------------------------------------------

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        boolean podHasTerms = !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty();
        if (!podHasTerms && snapshot.nodesWithRequiredAntiAffinityPods().isEmpty()) {
            return Status.SKIP;
        }
        AffinityCounts counts = new AffinityCounts();
        Map<String, String> podNsLabels = nsLabels(pod.namespace());
        for (NodeInfo n : snapshot.nodesWithRequiredAntiAffinityPods()) {
            for (PodInfo existing : n.podsWithRequiredAntiAffinity()) {
                addExistingAntiAffinity(counts, pod, podNsLabels, existing, n, 1);
            }
        }
        if (podHasTerms) {
            for (NodeInfo n : snapshot.nodes()) {
                for (PodInfo existing : n.pods()) {
                    addIncomingTerms(counts, pod, existing, n, 1);
                }
            }
        }
        state.put(FILTER_KEY, counts);
        return Status.SUCCESS;
    }

    private static void addExistingAntiAffinity(AffinityCounts counts, PodInfo pod, Map<String, String> podNsLabels,
                                                PodInfo existing, NodeInfo node, int delta) {
        for (AffinityTerm t : existing.requiredAntiAffinity()) {
            String value = node.labels().get(t.topologyKey());
            if (value != null && t.matches(pod.pod(), podNsLabels)) {
                AffinityCounts.add(counts.existingAntiAffinity, t.topologyKey(), value, delta);
            }
        }
    }

    private void addIncomingTerms(AffinityCounts counts, PodInfo pod, PodInfo existing, NodeInfo node, int delta) {
        if (pod.requiredAffinity().isEmpty() && pod.requiredAntiAffinity().isEmpty()) {
            return;
        }
        Map<String, String> exNs = nsLabels(existing.namespace());
        // affinity counts a pod only when it matches every term, as upstream
        if (!pod.requiredAffinity().isEmpty() && matchesAll(pod.requiredAffinity(), existing, exNs)) {
            for (AffinityTerm t : pod.requiredAffinity()) {
                String value = node.labels().get(t.topologyKey());
                if (value != null) {
                    AffinityCounts.add(counts.affinity, t.topologyKey(), value, delta);
                }
            }
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            String value = node.labels().get(t.topologyKey());
            if (value != null && t.matches(existing.pod(), exNs)) {
                AffinityCounts.add(counts.antiAffinity, t.topologyKey(), value, delta);
            }
        }
    }

    private static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod, Map<String, String> nsLabels) {
        for (AffinityTerm t : terms) {
            if (!t.matches(pod.pod(), nsLabels)) {
                return false;
            }
        }
        return true;
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
        AffinityCounts counts = state.getOrNull(FILTER_KEY);
        if (counts == null) {
            return Status.SUCCESS;
        }
        addExistingAntiAffinity(counts, pod, nsLabels(pod.namespace()), changed, node, delta);
        addIncomingTerms(counts, pod, changed, node, delta);
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        AffinityCounts counts = state.get(FILTER_KEY);
        Map<String, String> labels = node.labels();
        if (!pod.requiredAffinity().isEmpty()) {
            boolean allFound = true;
            for (AffinityTerm t : pod.requiredAffinity()) {
                if (AffinityCounts.get(counts.affinity, t.topologyKey(), labels.get(t.topologyKey())) <= 0) {
                    allFound = false;
                    break;
                }
            }
            // the first pod of a group that selects itself may go anywhere its terms' keys exist
            if (!allFound && !(counts.affinity.isEmpty() && matchesAll(pod.requiredAffinity(), pod, nsLabels(pod.namespace())))) {
                return Status.unresolvable(REASON_AFFINITY);
            }
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            if (AffinityCounts.get(counts.antiAffinity, t.topologyKey(), labels.get(t.topologyKey())) > 0) {
                return Status.unschedulable(REASON_ANTI_AFFINITY);
            }
        }
        for (Map.Entry<String, Map<String, Integer>> e : counts.existingAntiAffinity.entrySet()) {
            String value = labels.get(e.getKey());
            if (value != null && e.getValue().getOrDefault(value, 0) > 0) {
                return Status.unschedulable(REASON_EXISTING_ANTI_AFFINITY);
            }
        }
        return Status.SUCCESS;
    }

    // ---- scoring ------------------------------------------------------------------------------

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, Snapshot snapshot) {
        boolean podHasPreferred = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
        if (!podHasPreferred && snapshot.nodesWithAffinityPods().isEmpty()) {
            return Status.SKIP;
        }
        Map<String, Map<String, Long>> scores = new HashMap<>();
        Map<String, String> podNs = nsLabels(pod.namespace());
        List<NodeInfo> nodes = podHasPreferred ? snapshot.nodes() : snapshot.nodesWithAffinityPods();
        for (NodeInfo n : nodes) {
            List<PodInfo> pods = podHasPreferred ? n.pods() : n.podsWithAffinity();
            for (PodInfo existing : pods) {
                Map<String, String> exNs = nsLabels(existing.namespace());
                for (AffinityTerm.Weighted w : pod.preferredAffinity()) {
                    credit(scores, n, w.term(), w.term().matches(existing.pod(), exNs), w.weight());
                }
                for (AffinityTerm.Weighted w : pod.preferredAntiAffinity()) {
                    credit(scores, n, w.term(), w.term().matches(existing.pod(), exNs), -w.weight());
                }
                for (AffinityTerm t : existing.requiredAffinity()) {
                    credit(scores, n, t, t.matches(pod.pod(), podNs), HARD_POD_AFFINITY_WEIGHT);
                }
                for (AffinityTerm.Weighted w : existing.preferredAffinity()) {
                    credit(scores, n, w.term(), w.term().matches(pod.pod(), podNs), w.weight());
                }
                for (AffinityTerm.Weighted w : existing.preferredAntiAffinity()) {
                    credit(scores, n, w.term(), w.term().matches(pod.pod(), podNs), -w.weight());
                }
            }
        }
        state.put(SCORE_KEY, new AffinityScores(scores));
        return Status.SUCCESS;
    }

    private static void credit(Map<String, Map<String, Long>> scores, NodeInfo node, AffinityTerm term, boolean matches, long weight) {
        String value = node.labels().get(term.topologyKey());
        if (matches && value != null && weight != 0) {
            scores.computeIfAbsent(term.topologyKey(), k -> new HashMap<>()).merge(value, weight, Long::sum);
        }
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        AffinityScores s = state.get(SCORE_KEY);
        long total = 0;
        for (Map.Entry<String, Map<String, Long>> e : s.topologyScore().entrySet()) {
            String value = node.labels().get(e.getKey());
            if (value != null) {
                total += e.getValue().getOrDefault(value, 0L);
            }
        }
        return total;
    }

    @Override
    public void normalizeScore(CycleState state, PodInfo pod, long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = diff > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
        }
    }

    @Override
    public List<ClusterEvent> eventsToRegister() {
        return List.of(new ClusterEvent(ClusterEvent.Resource.POD, ClusterEvent.Action.ALL),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD),
                new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL));
    }
}
