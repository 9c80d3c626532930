package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node and what the scheduler knows about it: the pods on it (bound or assumed), the sum of
 * their requests, the host ports they hold, and which of them carry (anti-)affinity terms. Kept up
 * to date incrementally by {@link #addPod}/{@link #removePod}, so no plugin ever scans a node's pods
 * to add up requests.
 *
 * <p>Not thread-safe. The cache owns the live instances and hands out {@link #copy() copies} in
 * each {@link Snapshot}; a cycle may freely read its snapshot's copies, and preemption changes
 * private copies of them.
 */
public final class NodeInfo {

    private Node node;
    private final List<PodInfo> pods;
    private final List<PodInfo> podsWithAffinity;
    private final List<PodInfo> podsWithRequiredAntiAffinity;
    private final List<HostPort> usedPorts;
    private Resources requested;
    private Resources nonZeroRequested;
    private Resources allocatable;
    private long allowedPodNumber;
    private Map<String, Long> imageSizes;
    private long generation;

    public NodeInfo(Node node) {
        this.pods = new ArrayList<>();
        this.podsWithAffinity = new ArrayList<>();
        this.podsWithRequiredAntiAffinity = new ArrayList<>();
        this.usedPorts = new ArrayList<>();
        this.requested = Resources.ZERO;
        this.nonZeroRequested = Resources.ZERO;
        setNode(node);
    }

    private NodeInfo(NodeInfo o) {
        this.node = o.node;
        this.pods = new ArrayList<>(o.pods);
        this.podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
        this.usedPorts = new ArrayList<>(o.usedPorts);
        this.requested = o.requested;
        this.nonZeroRequested = o.nonZeroRequested;
        this.allocatable = o.allocatable;
        this.allowedPodNumber = o.allowedPodNumber;
        this.imageSizes = o.imageSizes;
        this.generation = o.generation;
    }

    /** Replaces the node object (its allocatable, labels, taints, images), keeping the pods. */
    public void setNode(Node node) {
        this.node = Objects.requireNonNull(node, "node");
        var status = node.getStatus();
        var alloc = status == null ? null : status.getAllocatable();
        this.allocatable = Resources.of(alloc);
        this.allowedPodNumber = alloc != null && alloc.containsKey(Resources.PODS) ? Resources.value(alloc.get(Resources.PODS)) : 0;
        Map<String, Long> images = new HashMap<>();
        if (status != null && status.getImages() != null) {
            for (ContainerImage img : status.getImages()) {
                long size = img.getSizeBytes() == null ? 0 : img.getSizeBytes();
                if (img.getNames() != null) {
                    for (String n : img.getNames()) {
                        images.put(n, size);
                    }
                }
            }
        }
        this.imageSizes = Map.copyOf(images);
    }

    /** Adds a pod's requests, ports and affinity bookkeeping. */
    public void addPod(PodInfo p) {
        pods.add(p);
        if (p.hasAffinity()) {
            podsWithAffinity.add(p);
        }
        if (!p.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity.add(p);
        }
        usedPorts.addAll(p.hostPorts());
        requested = requested.plus(p.requests());
        nonZeroRequested = nonZeroRequested.plus(p.nonZeroRequests());
    }

    /** Removes the pod with {@code key}; false when it is not on this node. */
    public boolean removePod(String key) {
        for (int i = 0; i < pods.size(); i++) {
            PodInfo p = pods.get(i);
            if (p.key().equals(key)) {
                // swap-remove: pod order on a node carries no meaning
                pods.set(i, pods.getLast());
                pods.removeLast();
                podsWithAffinity.remove(p);
                podsWithRequiredAntiAffinity.remove(p);
                for (HostPort hp : p.hostPorts()) {
                    usedPorts.remove(hp);
                }
                requested = requested.minus(p.requests());
                nonZeroRequested = nonZeroRequested.minus(p.nonZeroRequests());
                return true;
            }
        }
        return false;
    }

    /** An independent copy (the lists are copied, the immutable pods shared). */
    public NodeInfo copy() {
        return new NodeInfo(this);
    }

    public Node node() { return node; }
    public String name() { return node.getMetadata().getName(); }
    public List<PodInfo> pods() { return Collections.unmodifiableList(pods); }
    /** {@code pods().size()} without the view: Filter asks this of every node it visits. */
    public int podCount() { return pods.size(); }
    public List<PodInfo> podsWithAffinity() { return Collections.unmodifiableList(podsWithAffinity); }
    public List<PodInfo> podsWithRequiredAntiAffinity() { return Collections.unmodifiableList(podsWithRequiredAntiAffinity); }
    public List<HostPort> usedPorts() { return Collections.unmodifiableList(usedPorts); }
    public Resources requested() { return requested; }
    public Resources nonZeroRequested() { return nonZeroRequested; }
    public Resources allocatable() { return allocatable; }
    public long allowedPodNumber() { return allowedPodNumber; }
    /** Image names present on the node (as the node reports them) with their sizes in bytes. */
    public Map<String, Long> imageSizes() { return imageSizes; }

    public Map<String, String> labels() {
        Map<String, String> l = node.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    /** The cache's change counter at this node's last change; the snapshot copies newer ones. */
    public long generation() { return generation; }

    public void setGeneration(long generation) {
        this.generation = generation;
    }

    @Override
    public String toString() {
        return name() + pods;
    }
}
