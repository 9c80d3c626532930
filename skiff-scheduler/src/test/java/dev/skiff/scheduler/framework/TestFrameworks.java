package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.plugins.InTreeRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Frameworks for tests: the default profile, or some plugins of it, with recording writers. */
public final class TestFrameworks {

    /** Records evictions and bindings instead of writing them. */
    public static final class Recorder implements PodBinder, PodEvictor {
        // synchronized: preemption evicts its victims from parallel threads
        public final List<String> evicted = Collections.synchronizedList(new ArrayList<>());
        public final List<String> bound = Collections.synchronizedList(new ArrayList<>());
        public final List<String> clearedNominations = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void bind(PodInfo pod, String nodeName) {
            bound.add(pod.key() + "->" + nodeName);
        }

        @Override
        public void evict(PodInfo victim, PodInfo preemptor) {
            evicted.add(victim.key());
        }

        @Override
        public void clearNominatedNodeName(PodInfo pod) {
            clearedNominations.add(pod.key());
        }
    }

    private TestFrameworks() {
    }

    public static Framework defaults(ClusterLister lister, Recorder recorder, PodNominator nominator) {
        return new Framework(InTreeRegistry.defaultProfile(), InTreeRegistry.factories(new Random(1)),
                new Framework.Options(new Random(1), nominator, recorder, recorder, lister));
    }

    /** A framework running only {@code plugins} (weight 1), over every node. */
    public static Framework only(ClusterLister lister, String... plugins) {
        List<Profile.Entry> entries = new ArrayList<>();
        for (String p : plugins) {
            entries.add(new Profile.Entry(p, 1));
        }
        Recorder r = new Recorder();
        return new Framework(new Profile("test", entries, 100), InTreeRegistry.factories(new Random(1)),
                new Framework.Options(new Random(1), PodNominator.NONE, r, r, lister));
    }

    /** PreFilter, then Filter on every node: node name to status (PreFilter's rejection for all). */
    public static java.util.Map<String, Status> filter(Framework fw, PodInfo pod, Snapshot snapshot) {
        CycleState state = new CycleState();
        Status pre = fw.runPreFilterPlugins(state, pod, snapshot);
        java.util.Map<String, Status> out = new java.util.LinkedHashMap<>();
        for (NodeInfo n : snapshot.nodes()) {
            out.put(n.name(), pre.isSuccess() ? fw.runFilterPlugins(state, pod, n) : pre);
        }
        return out;
    }

    /** PreFilter, PreScore and Score over all nodes (assumed feasible): node name to weighted score. */
    public static java.util.Map<String, Long> scores(Framework fw, PodInfo pod, Snapshot snapshot) {
        CycleState state = new CycleState();
        fw.runPreFilterPlugins(state, pod, snapshot);
        long[] totals = fw.prioritize(state, pod, snapshot.nodes(), snapshot);
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < totals.length; i++) {
            out.put(snapshot.nodes().get(i).name(), totals[i]);
        }
        return out;
    }

    public static Snapshot snapshot(NodeInfo... nodes) {
        return Snapshot.of(ClusterLister.EMPTY, List.of(nodes));
    }

    /** Waits for the evictions DefaultPreemption started after its cycles (it writes them asynchronously). */
    public static void awaitEvictions(Framework fw) {
        if (fw.plugins().get(dev.skiff.scheduler.plugins.defaultpreemption.DefaultPreemption.NAME)
                instanceof dev.skiff.scheduler.plugins.defaultpreemption.DefaultPreemption p) {
            try {
                p.awaitEvictions();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static Framework defaults() {
        return defaults(ClusterLister.EMPTY, new Recorder(), PodNominator.NONE);
    }
}
