package dev.skiff.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache's write access to a {@link Snapshot} (whose fields plugins must not change). Keeps the
 * snapshot's node copies, order, affinity lists and image counts consistent.
 */
public final class SnapshotUpdater {

    private SnapshotUpdater() {
    }

    /**
     * Replaces the copies of changed nodes in place (the node set is unchanged). Rebuilds the
     * affinity lists only when a changed node has or had pods with affinity.
     */
    public static void replace(Snapshot s, Map<String, NodeInfo> changed, long generation) {
        boolean affinityChanged = false;
        for (NodeInfo now : changed.values()) {
            Integer i = s.indexOf.get(now.name());
            if (i == null) {
                throw new IllegalStateException("node " + now.name() + " changed but is not in the snapshot");
            }
            NodeInfo old = s.nodes.get(i);
            s.nodes.set(i, now);
            s.byName.put(now.name(), now);
            affinityChanged |= !old.podsWithAffinity().isEmpty() || !now.podsWithAffinity().isEmpty();
        }
        if (affinityChanged) {
            s.rebuildAffinityLists();
        }
        s.generation = generation;
    }

    /** Rebuilds the node list in {@code order}, taking changed copies and keeping the others. */
    public static void rebuild(Snapshot s, List<String> order, Map<String, NodeInfo> changed, long generation) {
        Map<String, NodeInfo> old = new HashMap<>(s.byName);
        s.byName.clear();
        s.indexOf.clear();
        List<NodeInfo> nodes = new ArrayList<>(order.size());
        Map<String, Integer> images = new HashMap<>();
        for (String name : order) {
            NodeInfo n = changed.containsKey(name) ? changed.get(name) : old.get(name);
            if (n == null) {
                throw new IllegalStateException("snapshot lost node " + name);
            }
            s.indexOf.put(name, nodes.size());
            nodes.add(n);
            s.byName.put(name, n);
            n.imageSizes().keySet().forEach(img -> images.merge(img, 1, Integer::sum));
        }
        s.nodes = nodes;
        s.imageNodeCounts = images;
        s.rebuildAffinityLists();
        s.generation = generation;
    }
}
