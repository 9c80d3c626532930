package dev.skiff.scheduler.plugins.defaultpreemption;

import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.FailedSchedulingMessage;
import dev.skiff.scheduler.framework.FrameworkHandle;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PostFilterPlugin;
import dev.skiff.scheduler.framework.PostFilterResult;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Preemption (PostFilter): when the pod fits nowhere, find a node where evicting lower-priority pods
 * makes it fit, preferring (in upstream's order) the fewest PodDisruptionBudget violations, the
 * lowest highest-victim priority, the lowest sum of victim priorities, the fewest victims, and the
 * latest-started victims. Victims are evicted through {@link dev.skiff.scheduler.framework.PodEvictor};
 * the pod is nominated to the node and retried once they are gone.
 *
 * <p>Each node is tried on copies of its NodeInfo and of the cycle state, so the snapshot is never
 * changed. As upstream, at most max(10% of nodes, 100) candidates are collected, starting from a
 * random node.
 *
 * <p>The victims' API writes run after the cycle, as upstream 1.33's {@code SchedulerAsyncPreemption}
 * (1.32 waited for them inside the cycle, which made every preemption cost two API round trips of
 * the single scheduling thread): {@link #postFilter} nominates the node and returns; one virtual
 * thread per victim marks and deletes it (at most {@value #MAX_EVICTIONS_IN_FLIGHT} at a time over
 * all preemptors). While a preemptor's evictions are in flight, a new attempt of that pod does not
 * preempt again (upstream keeps it out of activeQ for that time): it keeps its nomination and waits
 * for the victims' delete events. A failed eviction drops the nomination; the pod is retried on
 * the next event or flush.
 */
public final class DefaultPreemption implements PostFilterPlugin {

    public static final String NAME = "DefaultPreemption";
    public static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
    static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;
    static final int MAX_EVICTIONS_IN_FLIGHT = 64;
    static final String EVICTING = "victims of this pod's last preemption are still being evicted";

    private static final Logger log = LoggerFactory.getLogger(DefaultPreemption.class);

    private final FrameworkHandle handle;
    private final Random random;
    /** Preemptors whose victims are being evicted, with the thread that does it. */
    private final Map<String, Thread> preempting = new ConcurrentHashMap<>();
    private final Semaphore evictionSlots = new Semaphore(MAX_EVICTIONS_IN_FLIGHT);

    public DefaultPreemption(FrameworkHandle handle, Random random) {
        this.handle = handle;
        this.random = random;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Outcome postFilter(CycleState state, PodInfo pod, Snapshot snapshot, Map<String, Status> filteredNodeStatuses) {
        if (preempting.containsKey(pod.key())) {
            // its victims are not all gone yet: preempting again would evict a second node's pods
            return new Outcome(null, Status.unschedulable("preemption: " + EVICTING));
        }
        String notEligible = notEligibleReason(pod, snapshot, filteredNodeStatuses);
        if (notEligible != null) {
            return new Outcome(null, Status.unschedulable("preemption: " + notEligible));
        }
        Map<String, Status> nodeStatuses = new HashMap<>();
        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo n : snapshot.nodes()) {
            Status s = filteredNodeStatuses.get(n.name());
            if (s instanceof Status.Unschedulable u && u.unresolvable()) {
                nodeStatuses.put(n.name(), Status.unresolvable(NOT_HELPFUL));
            } else {
                potential.add(n);
            }
        }
        List<Candidate> candidates = potential.isEmpty() ? List.of() : dryRun(state, pod, potential, nodeStatuses);
        if (candidates.isEmpty()) {
            Diagnosis d = new Diagnosis(snapshot.size(), nodeStatuses, Status.unresolvable(NOT_HELPFUL), java.util.Set.of(), "", "");
            return new Outcome(new PostFilterResult("", List.of()), Status.unschedulable("preemption: " + FailedSchedulingMessage.of(d)));
        }
        Candidate best = pick(candidates);
        // lower-priority pods nominated to this node lose their claim now, so the next cycle sees the room as ours
        List<PodInfo> outbid = new ArrayList<>();
        for (PodInfo nominated : handle.nominator().nominatedPodsForNode(best.nodeName())) {
            if (nominated.priority() < pod.priority()) {
                handle.nominator().deleteNominatedPodIfExists(nominated.key());
                outbid.add(nominated);
            }
        }
        if (!best.victims().isEmpty() || !outbid.isEmpty()) {
            startEvictions(pod, best, outbid);
        }
        return new Outcome(new PostFilterResult(best.nodeName(), best.victims()), Status.SUCCESS);
    }

    /** Evicts the candidate's victims and clears the outbid pods' nominations after the cycle. */
    private void startEvictions(PodInfo pod, Candidate best, List<PodInfo> outbid) {
        Thread t = Thread.ofVirtual().name("preempt-for-" + pod.key()).unstarted(() -> {
            try {
                evictAll(best.victims(), pod);
                for (PodInfo nominated : outbid) {
                    handle.evictor().clearNominatedNodeName(nominated);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("preemption for {} on {} failed", pod.key(), best.nodeName(), e);
                handle.nominator().deleteNominatedPodIfExists(pod.key());
            } finally {
                preempting.remove(pod.key());
            }
        });
        // registered before it starts, so a fast finish cannot leave the entry behind
        preempting.put(pod.key(), t);
        t.start();
    }

    /** Whether {@code podKey}'s victims are still being evicted. */
    public boolean isPreempting(String podKey) {
        return preempting.containsKey(podKey);
    }

    /** Waits until every eviction started so far has finished (tests; orderly shutdown). */
    public void awaitEvictions() throws InterruptedException {
        for (Thread t : List.copyOf(preempting.values())) {
            t.join();
        }
    }

    /**
     * Evicts the victims at once, one virtual thread each, and waits for all, as upstream's
     * {@code prepareCandidate} (which deletes in parallel). The first failure is thrown after all
     * have finished.
     */
    private void evictAll(List<PodInfo> victims, PodInfo preemptor) throws Exception {
        List<Thread> threads = new ArrayList<>(victims.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (PodInfo victim : victims) {
            threads.add(Thread.ofVirtual().name("preempt-" + victim.key()).start(() -> {
                try {
                    evictionSlots.acquire();
                    try {
                        handle.evictor().evict(victim, preemptor);
                    } finally {
                        evictionSlots.release();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Upstream's {@code PodEligibleToPreemptOthers}; null when eligible. */
    private static String notEligibleReason(PodInfo pod, Snapshot snapshot, Map<String, Status> statuses) {
        if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
            return "not eligible due to preemptionPolicy=Never.";
        }
        String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
        if (nominated == null || nominated.isEmpty()) {
            return null;
        }
        if (statuses.get(nominated) instanceof Status.Unschedulable u && u.unresolvable()) {
            return null;
        }
        NodeInfo n = snapshot.get(nominated);
        if (n != null) {
            for (PodInfo p : n.pods()) {
                if (p.priority() < pod.priority() && p.isTerminating()) {
                    return "not eligible due to a terminating pod on the nominated node.";
                }
            }
        }
        return null;
    }

    static int numCandidates(int numNodes) {
        int n = numNodes * MIN_CANDIDATE_NODES_PERCENTAGE / 100;
        n = Math.max(n, MIN_CANDIDATE_NODES_ABSOLUTE);
        return Math.min(n, numNodes);
    }

    private List<Candidate> dryRun(CycleState state, PodInfo pod, List<NodeInfo> potential, Map<String, Status> nodeStatuses) {
        int wanted = numCandidates(potential.size());
        int offset = random.nextInt(potential.size());
        List<Candidate> candidates = new ArrayList<>();
        int nonViolating = 0;
        for (int i = 0; i < potential.size(); i++) {
            NodeInfo node = potential.get((offset + i) % potential.size());
            VictimSearch.Result r = new VictimSearch(handle).select(state.copy(), pod, node.copy());
            if (r.status().isSuccess()) {
                candidates.add(new Candidate(node.name(), r.victims(), r.pdbViolations()));
                if (r.pdbViolations() == 0) {
                    nonViolating++;
                }
                if (nonViolating > 0 && candidates.size() >= wanted) {
                    break;
                }
            } else {
                nodeStatuses.put(node.name(), r.status());
            }
        }
        return candidates;
    }

    /** Upstream's {@code pickOneNodeForPreemption}: narrow by each criterion in turn. */
    static Candidate pick(List<Candidate> candidates) {
        for (Candidate c : candidates) {
            if (c.victims().isEmpty()) {
                return c;
            }
        }
        List<Candidate> left = candidates;
        left = keepMin(left, c -> (long) c.pdbViolations());
        left = keepMin(left, c -> (long) c.victims().getFirst().priority());
        left = keepMin(left, c -> c.victims().stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1).sum());
        left = keepMin(left, c -> (long) c.victims().size());
        if (left.size() > 1) {
            // the node whose earliest-started highest-priority victim started latest
            return left.stream().max(Comparator.comparing(DefaultPreemption::earliestStartOfTopVictims)).orElseThrow();
        }
        return left.getFirst();
    }

    private static Instant earliestStartOfTopVictims(Candidate c) {
        int top = c.victims().getFirst().priority();
        return c.victims().stream().filter(v -> v.priority() == top).map(PodImportance::startTime)
                .min(Comparator.naturalOrder()).orElse(Instant.MAX);
    }

    private static List<Candidate> keepMin(List<Candidate> in, java.util.function.ToLongFunction<Candidate> key) {
        long min = in.stream().mapToLong(key).min().orElseThrow();
        return in.stream().filter(c -> key.applyAsLong(c) == min).toList();
    }
}
