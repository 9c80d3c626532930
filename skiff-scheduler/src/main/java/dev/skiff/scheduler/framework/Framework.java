package dev.skiff.scheduler.framework;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Runs one profile's plugins through the extension points in upstream's order: PreFilter, Filter
 * (over as many nodes as needed), PostFilter, PreScore, Score (normalized and weighted), host
 * selection, then Reserve, Permit and Bind on request.
 *
 * <p>Cost: Filter visits nodes in a rotating order and stops after {@link #numFeasibleNodesToFind}
 * feasible nodes, as upstream's {@code percentageOfNodesToScore} (adaptive when 0). Ties between
 * best nodes are broken uniformly at random with the injected {@link Random}.
 *
 * <p>Thread-safety: one scheduling cycle at a time (the scheduler's single scheduling thread);
 * {@link #runBindPlugins} may run concurrently with later cycles.
 */
public final class Framework implements FrameworkHandle {

    private static final Logger log = LoggerFactory.getLogger(Framework.class);
    /** Upstream's floor on how many feasible nodes to look for. */
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    /** Upstream's floor for the adaptive percentage. */
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    private final Profile profile;
    private final Random random;
    private final PodNominator nominator;
    private final PodBinder binder;
    private final PodEvictor evictor;
    private final ClusterLister lister;
    private final Map<String, Plugin> plugins = new HashMap<>();
    private final List<PreFilterPlugin> preFilter = new ArrayList<>();
    private final List<FilterPlugin> filter = new ArrayList<>();
    private final List<PostFilterPlugin> postFilter = new ArrayList<>();
    private final List<PreScorePlugin> preScore = new ArrayList<>();
    private final List<ScorePlugin> score = new ArrayList<>();
    private final Map<String, Integer> weights = new HashMap<>();
    private final List<ReservePlugin> reserve = new ArrayList<>();
    private final List<PermitPlugin> permit = new ArrayList<>();
    private final List<BindPlugin> bind = new ArrayList<>();
    private final FilterPlugin[] allFilters;
    private int nextStartNodeIndex;

    /** Everything a framework is built from; collaborators default to no-ops when null is not allowed. */
    public record Options(Random random, PodNominator nominator, PodBinder binder, PodEvictor evictor, ClusterLister lister) {
        public Options {
            Objects.requireNonNull(random, "random");
            Objects.requireNonNull(nominator, "nominator");
            Objects.requireNonNull(binder, "binder");
            Objects.requireNonNull(evictor, "evictor");
            Objects.requireNonNull(lister, "lister");
        }
    }

    public Framework(Profile profile, Map<String, PluginFactory> registry, Options options) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.random = options.random();
        this.nominator = options.nominator();
        this.binder = options.binder();
        this.evictor = options.evictor();
        this.lister = options.lister();
        for (Profile.Entry e : profile.plugins()) {
            PluginFactory f = registry.get(e.name());
            if (f == null) {
                throw new IllegalArgumentException("plugin " + e.name() + " is not registered");
            }
            Plugin p = f.create(this);
            if (!p.name().equals(e.name())) {
                throw new IllegalStateException("factory for " + e.name() + " made plugin " + p.name());
            }
            if (plugins.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("plugin " + e.name() + " enabled twice");
            }
            if (p instanceof PreFilterPlugin x) preFilter.add(x);
            if (p instanceof FilterPlugin x) filter.add(x);
            if (p instanceof PostFilterPlugin x) postFilter.add(x);
            if (p instanceof PreScorePlugin x) preScore.add(x);
            if (p instanceof ScorePlugin x) {
                score.add(x);
                weights.put(x.name(), e.weight() == 0 ? 1 : e.weight());
            }
            if (p instanceof ReservePlugin x) reserve.add(x);
            if (p instanceof PermitPlugin x) permit.add(x);
            if (p instanceof BindPlugin x) bind.add(x);
        }
        this.allFilters = filter.toArray(FilterPlugin[]::new);
    }

    public Profile profile() { return profile; }

    /**
     * Each enabled plugin's registered cluster events, for the queue; null for a plugin without
     * {@link EnqueueExtensions} (it hears every event).
     */
    public Map<String, List<ClusterEvent>> eventsByPlugin() {
        Map<String, List<ClusterEvent>> m = new HashMap<>();
        plugins.forEach((name, p) -> m.put(name, p instanceof EnqueueExtensions e ? e.eventsToRegister() : null));
        return m;
    }

    /** The enabled plugins by name. */
    public Map<String, Plugin> plugins() { return Collections.unmodifiableMap(plugins); }

    // ---- the scheduling algorithm -------------------------------------------------------------

    /**
     * Finds a node for {@code pod} in {@code snapshot}: PreFilter, Filter, PreScore, Score and host
     * selection. Does not run PostFilter; the caller does so on {@link ScheduleAttempt.NoFit}.
     */
    public ScheduleAttempt schedulePod(CycleState state, PodInfo pod, Snapshot snapshot) {
        int all = snapshot.size();
        if (all == 0) {
            return new ScheduleAttempt.NoFit(new Diagnosis(0, Map.of(), null, Set.of(), "", ""));
        }
        Status pre = runPreFilterPlugins(state, pod, snapshot);
        switch (pre) {
            case Status.Unschedulable u -> {
                return new ScheduleAttempt.NoFit(new Diagnosis(all, Map.of(), u, Set.of(u.plugin()), u.message(), ""));
            }
            case Status.Error e -> {
                return new ScheduleAttempt.Failed(e, null);
            }
            default -> { }
        }
        Set<String> rejectors = new HashSet<>();
        // a preemptor re-tries the node it was nominated to first, as upstream's evaluateNominatedNode
        String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
        if (nominated != null && !nominated.isEmpty() && snapshot.get(nominated) != null) {
            Status s = runFilterWithNominatedPods(state, pod, snapshot.get(nominated));
            if (s instanceof Status.Error e) {
                return new ScheduleAttempt.Failed(e, null);
            }
            if (s.isSuccess()) {
                return new ScheduleAttempt.Scheduled(nominated, 1, 1);
            }
        }
        // Filter: the plugins not skipped by their PreFilter, worked out once per cycle, not per node
        FilterPlugin[] active = activeFilterPlugins(state);
        int toFind = numFeasibleNodesToFind(profile.percentageOfNodesToScore(), all);
        List<NodeInfo> feasible = new ArrayList<>(Math.min(toFind, all));
        Map<String, Status> statuses = new HashMap<>();
        List<NodeInfo> nodes = snapshot.nodes();
        int processed = 0;
        for (int i = 0; i < all && feasible.size() < toFind; i++) {
            int index = nextStartNodeIndex + i;
            NodeInfo n = nodes.get(index >= all ? index - all : index);
            processed++;
            Status s = runFilterWithNominatedPods(state, pod, n, active);
            switch (s) {
                case Status.Success ok -> feasible.add(n);
                case Status.Unschedulable u -> {
                    statuses.put(n.name(), u);
                    if (u.plugin() != null) {
                        rejectors.add(u.plugin());
                    }
                }
                case Status.Error e -> {
                    return new ScheduleAttempt.Failed(e, null);
                }
                case Status.Skip skip -> feasible.add(n);
            }
        }
        nextStartNodeIndex = (nextStartNodeIndex + processed) % all;
        if (feasible.isEmpty()) {
            return new ScheduleAttempt.NoFit(new Diagnosis(all, statuses, null, rejectors, "", ""));
        }
        if (feasible.size() == 1) {
            return new ScheduleAttempt.Scheduled(feasible.getFirst().name(), processed, 1);
        }
        // PreScore and Score
        long[] totals;
        try {
            totals = prioritize(state, pod, feasible, snapshot);
        } catch (RuntimeException e) {
            // a Score plugin's fault fails this pod's cycle, not the scheduler
            return new ScheduleAttempt.Failed(new Status.Error(String.valueOf(e.getMessage()), e), null);
        }
        return new ScheduleAttempt.Scheduled(selectHost(feasible, totals), processed, feasible.size());
    }

    /**
     * Runs every PreFilter in order; records Skips in the state. Returns the first rejection
     * (attributed to its plugin) or error, else Success.
     */
    public Status runPreFilterPlugins(CycleState state, PodInfo pod, Snapshot snapshot) {
        for (PreFilterPlugin p : preFilter) {
            Status s = call(() -> p.preFilter(state, pod, snapshot));
            switch (s) {
                case Status.Success ok -> { }
                case Status.Skip skip -> state.skipFilterPlugins().add(p.name());
                case Status.Unschedulable u -> {
                    return u.withPlugin(p.name());
                }
                case Status.Error e -> {
                    return e;
                }
            }
        }
        return Status.SUCCESS;
    }

    /**
     * How many feasible nodes to find before stopping Filter, as upstream: all of a small cluster,
     * otherwise the configured percentage, or adaptively 50% minus 1% per 125 nodes (at least 5%),
     * and never fewer than 100.
     */
    public static int numFeasibleNodesToFind(int percentage, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) {
            return numAllNodes;
        }
        int adaptive = percentage;
        if (adaptive <= 0) {
            adaptive = Math.max(50 - numAllNodes / 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
        }
        int n = numAllNodes * adaptive / 100;
        return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
    }

    /** Runs PreScore and Score; returns the weighted sum per feasible node (in their order). */
    public long[] prioritize(CycleState state, PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
        for (PreScorePlugin p : preScore) {
            Status s = call(() -> p.preScore(state, pod, feasible, snapshot));
            switch (s) {
                case Status.Skip skip -> state.skipScorePlugins().add(p.name());
                case Status.Error e -> throw new ScorePlugin.ScoreException(p.name() + " PreScore: " + e.message());
                case Status.Unschedulable u -> throw new ScorePlugin.ScoreException(p.name() + " PreScore rejected: " + u.message());
                case Status.Success ok -> { }
            }
        }
        long[] totals = new long[feasible.size()];
        long[] scores = new long[feasible.size()];
        for (ScorePlugin p : score) {
            if (state.skipScorePlugins().contains(p.name())) {
                continue;
            }
            for (int i = 0; i < scores.length; i++) {
                scores[i] = p.score(state, pod, feasible.get(i));
            }
            if (p instanceof ScoreExtensions ext) {
                ext.normalizeScore(state, pod, scores);
            }
            int w = weights.get(p.name());
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] < ScorePlugin.MIN_NODE_SCORE || scores[i] > ScorePlugin.MAX_NODE_SCORE) {
                    throw new ScorePlugin.ScoreException("plugin " + p.name() + " returned invalid score " + scores[i]
                            + " for node " + feasible.get(i).name());
                }
                totals[i] += scores[i] * w;
            }
        }
        return totals;
    }

    /** The node with the highest total; ties broken uniformly at random (reservoir sampling). */
    String selectHost(List<NodeInfo> feasible, long[] totals) {
        int best = 0;
        int ties = 1;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[best]) {
                best = i;
                ties = 1;
            } else if (totals[i] == totals[best]) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    best = i;
                }
            }
        }
        return feasible.get(best).name();
    }

    // ---- Filter with nominated pods -----------------------------------------------------------

    @Override
    public Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) {
        return runFilterWithNominatedPods(state, pod, node, activeFilterPlugins(state));
    }

    private Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node, FilterPlugin[] active) {
        // upstream runs Filter twice when pods are nominated here: with them (they keep their room)
        // and without them (pod affinity to a nominated pod must not be what makes it fit)
        List<PodInfo> nominatedHere = nominatedPodsToAdd(pod, node.name());
        if (nominatedHere.isEmpty()) {
            return runFilterPlugins(active, state, pod, node);
        }
        CycleState withState = state.copy();
        NodeInfo withNode = node.copy();
        for (PodInfo n : nominatedHere) {
            withNode.addPod(n);
            Status s = runPreFilterExtensionAddPod(withState, pod, n, withNode);
            if (!s.isSuccess()) {
                return s;
            }
        }
        Status s = runFilterPlugins(active, withState, pod, withNode);
        if (!s.isSuccess()) {
            return s;
        }
        return runFilterPlugins(active, state, pod, node);
    }

    private List<PodInfo> nominatedPodsToAdd(PodInfo pod, String nodeName) {
        List<PodInfo> nominated = nominator.nominatedPodsForNode(nodeName);
        if (nominated.isEmpty()) {
            return List.of();
        }
        List<PodInfo> out = new ArrayList<>();
        for (PodInfo n : nominated) {
            if (n.priority() >= pod.priority() && !n.key().equals(pod.key())) {
                out.add(n);
            }
        }
        return out;
    }

    /** Runs each Filter in order and returns the first rejection, attributed to its plugin. */
    public Status runFilterPlugins(CycleState state, PodInfo pod, NodeInfo node) {
        return runFilterPlugins(activeFilterPlugins(state), state, pod, node);
    }

    /** The Filter plugins whose PreFilter did not return Skip in {@code state}, in order. */
    private FilterPlugin[] activeFilterPlugins(CycleState state) {
        Set<String> skipped = state.skipFilterPlugins();
        if (skipped.isEmpty()) {
            return allFilters;
        }
        List<FilterPlugin> active = new ArrayList<>(filter.size());
        for (FilterPlugin p : filter) {
            if (!skipped.contains(p.name())) {
                active.add(p);
            }
        }
        return active.toArray(FilterPlugin[]::new);
    }

    private static Status runFilterPlugins(FilterPlugin[] active, CycleState state, PodInfo pod, NodeInfo node) {
        for (FilterPlugin p : active) {
            Status s;
            // inline rather than through call(): no capturing lambda per plugin per node
            try {
                s = Objects.requireNonNull(p.filter(state, pod, node), "plugin returned null status");
            } catch (RuntimeException e) {
                s = new Status.Error(String.valueOf(e.getMessage()), e);
            }
            if (!s.isSuccess()) {
                return s instanceof Status.Unschedulable u ? u.withPlugin(p.name()) : s;
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status runPreFilterExtensionAddPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node) {
        for (PreFilterPlugin p : preFilter) {
            PreFilterExtensions ext = p.preFilterExtensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) {
                continue;
            }
            Status s = ext.addPod(state, pod, added, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status runPreFilterExtensionRemovePod(CycleState state, PodInfo pod, PodInfo removed, NodeInfo node) {
        for (PreFilterPlugin p : preFilter) {
            PreFilterExtensions ext = p.preFilterExtensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) {
                continue;
            }
            Status s = ext.removePod(state, pod, removed, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    // ---- PostFilter, Reserve, Permit, Bind ----------------------------------------------------

    /**
     * Runs PostFilter plugins until one succeeds. The outcome's status carries the message that
     * upstream appends to the FailedScheduling event.
     */
    public PostFilterPlugin.Outcome runPostFilterPlugins(CycleState state, PodInfo pod, Snapshot snapshot, Diagnosis diagnosis) {
        Map<String, Status> statuses = new HashMap<>();
        for (NodeInfo n : snapshot.nodes()) {
            Status s = diagnosis.statusOf(n.name());
            if (s != null) {
                statuses.put(n.name(), s);
            }
        }
        List<String> reasons = new ArrayList<>();
        PostFilterResult result = null;
        for (PostFilterPlugin p : postFilter) {
            PostFilterPlugin.Outcome o = p.postFilter(state, pod, snapshot, statuses);
            switch (o.status()) {
                case Status.Success ok -> {
                    return o;
                }
                case Status.Error e -> {
                    return o;
                }
                case Status.Unschedulable u -> {
                    reasons.addAll(u.reasons());
                    // a rejecting plugin may still clear a stale nomination: keep its result
                    if (o.result() != null) {
                        result = o.result();
                    }
                }
                case Status.Skip skip -> { }
            }
        }
        return new PostFilterPlugin.Outcome(result, reasons.isEmpty() ? Status.unschedulable() : Status.unschedulable(reasons.toArray(String[]::new)));
    }

    public boolean hasPostFilterPlugins() {
        return !postFilter.isEmpty();
    }

    /** Runs Reserve; on the first failure unreserves every Reserve plugin in reverse order. */
    public Status runReservePlugins(CycleState state, PodInfo pod, String nodeName) {
        for (ReservePlugin p : reserve) {
            Status s = call(() -> p.reserve(state, pod, nodeName));
            if (!s.isSuccess()) {
                runUnreservePlugins(state, pod, nodeName);
                return s instanceof Status.Unschedulable u ? u.withPlugin(p.name()) : s;
            }
        }
        return Status.SUCCESS;
    }

    public void runUnreservePlugins(CycleState state, PodInfo pod, String nodeName) {
        for (int i = reserve.size() - 1; i >= 0; i--) {
            try {
                reserve.get(i).unreserve(state, pod, nodeName);
            } catch (RuntimeException e) {
                log.warn("unreserve of {} by {} failed", pod.key(), reserve.get(i).name(), e);
            }
        }
    }

    public Status runPermitPlugins(CycleState state, PodInfo pod, String nodeName) {
        for (PermitPlugin p : permit) {
            Status s = call(() -> p.permit(state, pod, nodeName));
            if (!s.isSuccess()) {
                return s instanceof Status.Unschedulable u ? u.withPlugin(p.name()) : s;
            }
        }
        return Status.SUCCESS;
    }

    /** Runs Bind plugins until one does not Skip; Error when none binds. */
    public Status runBindPlugins(CycleState state, PodInfo pod, String nodeName) {
        for (BindPlugin p : bind) {
            Status s = call(() -> p.bind(state, pod, nodeName));
            if (!(s instanceof Status.Skip)) {
                return s;
            }
        }
        return Status.error("no bind plugin bound pod " + pod.key());
    }

    /** Turns a plugin's unexpected exception into an Error status instead of killing the cycle. */
    private static Status call(java.util.function.Supplier<Status> body) {
        try {
            return Objects.requireNonNull(body.get(), "plugin returned null status");
        } catch (RuntimeException e) {
            return new Status.Error(String.valueOf(e.getMessage()), e);
        }
    }

    @Override public PodNominator nominator() { return nominator; }
    @Override public PodBinder binder() { return binder; }
    @Override public PodEvictor evictor() { return evictor; }
    @Override public ClusterLister lister() { return lister; }
}
