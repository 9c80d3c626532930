package dev.skiff.scheduler.cache;

import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.SnapshotUpdater;
import io.fabric8.kubernetes.api.model.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The scheduler's view of nodes and of pods placed on them: pods the API reports as bound, and pods
 * the scheduler has <em>assumed</em> onto a node before its binding is confirmed, so that the next
 * cycle already sees their requests. Every change is applied to the node's {@link NodeInfo}
 * incrementally and marks the node dirty; {@link #updateSnapshot} copies only dirty nodes.
 *
 * <p>Pods reported for a node that is not known yet are kept aside and attached when it appears.
 * Thread-safe: informer handlers and the scheduling thread call in concurrently; every method holds
 * the cache's monitor, and none calls out while holding it.
 */
public final class SchedulerCache {

    /** Where a pod is, and whether that is only assumed. */
    private record PlacedPod(PodInfo pod, String nodeName, boolean assumed) {}

    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    private final Map<String, PlacedPod> pods = new HashMap<>();
    private final Map<String, List<PodInfo>> podsOnUnknownNodes = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private boolean nodeSetChanged = true;
    private long generation;

    // ---- nodes --------------------------------------------------------------------------------

    public synchronized void addNode(Node node) {
        String name = node.getMetadata().getName();
        NodeInfo info = nodes.get(name);
        if (info != null) {
            String oldZone = info.labels().get(ZONE_LABEL);
            var oldImages = info.imageSizes().keySet();
            info.setNode(node);
            // a heartbeat changes neither: then only this node's copy is refreshed, not the lists
            if (!Objects.equals(oldZone, info.labels().get(ZONE_LABEL)) || !oldImages.equals(info.imageSizes().keySet())) {
                nodeSetChanged = true;
            }
            touch(name);
            return;
        }
        info = new NodeInfo(node);
        nodes.put(name, info);
        for (PodInfo p : podsOnUnknownNodes.getOrDefault(name, List.of())) {
            info.addPod(p);
        }
        podsOnUnknownNodes.remove(name);
        nodeSetChanged = true;
        touch(name);
    }

    public synchronized void updateNode(Node node) {
        addNode(node);
    }

    public synchronized void removeNode(String name) {
        NodeInfo info = nodes.remove(name);
        if (info != null && !info.pods().isEmpty()) {
            // bound pods outlive their node object until the API deletes them
            podsOnUnknownNodes.put(name, new ArrayList<>(info.pods()));
        }
        nodeSetChanged = true;
        dirty.add(name);
    }

    public synchronized int nodeCount() {
        return nodes.size();
    }

    // ---- pods ---------------------------------------------------------------------------------

    /**
     * Places {@code pod} on {@code nodeName} before its binding is written, so the next cycle counts
     * it. Fails when the pod is already in the cache.
     */
    public synchronized void assumePod(PodInfo pod, String nodeName) {
        if (pods.containsKey(pod.key())) {
            throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
        }
        place(pod, nodeName, true);
    }

    /** Undoes {@link #assumePod} after a failed Reserve, Permit or Bind. No-op if not assumed. */
    public synchronized void forgetPod(String podKey) {
        PlacedPod p = pods.get(podKey);
        if (p != null && p.assumed()) {
            unplace(p);
        }
    }

    /** A bound pod was reported (informer add or update): confirms an assumption, or moves the pod. */
    public synchronized void addOrUpdateBoundPod(PodInfo pod, String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        PlacedPod old = pods.get(pod.key());
        if (old != null) {
            unplace(old);
        }
        place(pod, nodeName, false);
    }

    /** The pod is gone from the API (deleted, or finished and no longer holding resources). */
    public synchronized void removePod(String podKey) {
        PlacedPod p = pods.get(podKey);
        if (p != null) {
            unplace(p);
        }
    }

    /** True when the pod is in the cache, assumed or bound. */
    public synchronized boolean contains(String podKey) {
        return pods.containsKey(podKey);
    }

    public synchronized boolean isAssumed(String podKey) {
        PlacedPod p = pods.get(podKey);
        return p != null && p.assumed();
    }

    public synchronized int podCount() {
        return pods.size();
    }

    private void place(PodInfo pod, String nodeName, boolean assumed) {
        pods.put(pod.key(), new PlacedPod(pod, nodeName, assumed));
        NodeInfo n = nodes.get(nodeName);
        if (n == null) {
            podsOnUnknownNodes.computeIfAbsent(nodeName, k -> new ArrayList<>()).add(pod);
            return;
        }
        n.addPod(pod);
        touch(nodeName);
    }

    private void unplace(PlacedPod p) {
        pods.remove(p.pod().key());
        NodeInfo n = nodes.get(p.nodeName());
        if (n == null) {
            List<PodInfo> orphans = podsOnUnknownNodes.get(p.nodeName());
            if (orphans != null) {
                orphans.removeIf(o -> o.key().equals(p.pod().key()));
            }
            return;
        }
        n.removePod(p.pod().key());
        touch(p.nodeName());
    }

    private void touch(String nodeName) {
        NodeInfo n = nodes.get(nodeName);
        if (n != null) {
            n.setGeneration(++generation);
        }
        dirty.add(nodeName);
    }

    // ---- snapshot -----------------------------------------------------------------------------

    /**
     * Brings {@code snapshot} up to date: copies the nodes changed since the last call and, only when
     * the node set or a node's affinity pods changed, rebuilds the lists. Meant for one snapshot
     * owned by the scheduling thread.
     */
    public synchronized void updateSnapshot(Snapshot snapshot) {
        if (dirty.isEmpty() && !nodeSetChanged) {
            return;
        }
        Map<String, NodeInfo> copies = new HashMap<>();
        for (String name : dirty) {
            NodeInfo live = nodes.get(name);
            if (live != null) {
                copies.put(name, live.copy());
            }
        }
        dirty.clear();
        if (nodeSetChanged) {
            nodeSetChanged = false;
            SnapshotUpdater.rebuild(snapshot, zoneInterleaved(), copies, generation);
        } else {
            SnapshotUpdater.replace(snapshot, copies, generation);
        }
    }

    /** Node names ordered round-robin across zones, so that Filter's early stop does not favour one zone. */
    private List<String> zoneInterleaved() {
        Map<String, List<String>> byZone = new LinkedHashMap<>();
        for (NodeInfo n : nodes.values()) {
            byZone.computeIfAbsent(n.labels().getOrDefault(ZONE_LABEL, ""), z -> new ArrayList<>()).add(n.name());
        }
        List<String> out = new ArrayList<>(nodes.size());
        List<List<String>> zones = new ArrayList<>(byZone.values());
        for (int i = 0; out.size() < nodes.size(); i++) {
            for (List<String> z : zones) {
                if (i < z.size()) {
                    out.add(z.get(i));
                }
            }
        }
        return out;
    }
}
