package dev.skiff.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster as one scheduling cycle sees it: a copy of every {@link NodeInfo}, taken at the start
 * of the cycle, plus the lists that let affinity plugins visit only nodes that hold pods with
 * affinity. The cache refreshes it incrementally (only nodes changed since the last refresh are
 * copied), so building it costs O(changes), not O(cluster).
 *
 * <p>Read-only for plugins. Not thread-safe: the scheduling thread refreshes and reads it.
 */
public final class Snapshot {

    final Map<String, NodeInfo> byName = new HashMap<>();
    final Map<String, Integer> indexOf = new HashMap<>();
    List<NodeInfo> nodes = new ArrayList<>();
    List<NodeInfo> withAffinity = List.of();
    List<NodeInfo> withRequiredAntiAffinity = List.of();
    Map<String, Integer> imageNodeCounts = Map.of();
    long generation = -1;
    private final ClusterLister lister;

    public Snapshot(ClusterLister lister) {
        this.lister = Objects.requireNonNull(lister, "lister");
    }

    /** A snapshot of exactly the given nodes (with their pods), for tests and preemption. */
    public static Snapshot of(ClusterLister lister, List<NodeInfo> nodeInfos) {
        Snapshot s = new Snapshot(lister);
        Map<String, Integer> images = new HashMap<>();
        for (NodeInfo n : nodeInfos) {
            s.byName.put(n.name(), n);
            s.indexOf.put(n.name(), s.nodes.size());
            s.nodes.add(n);
            n.imageSizes().keySet().forEach(img -> images.merge(img, 1, Integer::sum));
        }
        s.imageNodeCounts = images;
        s.rebuildAffinityLists();
        return s;
    }

    void rebuildAffinityLists() {
        List<NodeInfo> aff = new ArrayList<>();
        List<NodeInfo> anti = new ArrayList<>();
        for (NodeInfo n : nodes) {
            if (!n.podsWithAffinity().isEmpty()) {
                aff.add(n);
            }
            if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
                anti.add(n);
            }
        }
        withAffinity = aff;
        withRequiredAntiAffinity = anti;
    }

    /** All nodes, in a stable order. */
    public List<NodeInfo> nodes() { return nodes; }

    public NodeInfo get(String nodeName) { return byName.get(nodeName); }

    public int size() { return nodes.size(); }

    /** Nodes holding at least one pod with any (anti-)affinity term. */
    public List<NodeInfo> nodesWithAffinityPods() { return withAffinity; }

    /** Nodes holding at least one pod with a required anti-affinity term. */
    public List<NodeInfo> nodesWithRequiredAntiAffinityPods() { return withRequiredAntiAffinity; }

    /** How many nodes report holding each image name. */
    public int nodesWithImage(String image) { return imageNodeCounts.getOrDefault(image, 0); }

    public ClusterLister lister() { return lister; }
}
