package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PodNominator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pending pods preemption nominated to which node. Shared by the framework (Filter keeps
 * room for nominated pods of equal or higher priority) and the queue (which drops a pod's
 * nomination when the pod is deleted). Thread-safe.
 *
 * <p>Filter asks {@link #nominatedPodsForNode} once per node visited (hundreds of times per cycle),
 * and almost always nothing is nominated: that case reads one volatile count and takes no lock.
 */
public final class Nominator implements PodNominator {

    private final Map<String, Map<String, PodInfo>> byNode = new HashMap<>();
    private final Map<String, String> nodeOf = new HashMap<>();
    /** {@code nodeOf.size()}, readable without the lock. */
    private volatile int count;

    @Override
    public synchronized void addNominatedPod(PodInfo pod, String nodeName) {
        deleteNominatedPodIfExists(pod.key());
        byNode.computeIfAbsent(nodeName, n -> new LinkedHashMap<>()).put(pod.key(), pod);
        nodeOf.put(pod.key(), nodeName);
        count = nodeOf.size();
    }

    @Override
    public synchronized void deleteNominatedPodIfExists(String podKey) {
        String node = nodeOf.remove(podKey);
        if (node != null) {
            Map<String, PodInfo> m = byNode.get(node);
            m.remove(podKey);
            if (m.isEmpty()) {
                byNode.remove(node);
            }
            count = nodeOf.size();
        }
    }

    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        if (count == 0) {
            return List.of();
        }
        synchronized (this) {
            Map<String, PodInfo> m = byNode.get(nodeName);
            return m == null ? List.of() : List.copyOf(m.values());
        }
    }

    /** How many pods are nominated, over all nodes. */
    public int size() {
        return count;
    }
}
