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
 */
public final class Nominator implements PodNominator {

    private final Map<String, Map<String, PodInfo>> byNode = new HashMap<>();
    private final Map<String, String> nodeOf = new HashMap<>();

    @Override
    public synchronized void addNominatedPod(PodInfo pod, String nodeName) {
        deleteNominatedPodIfExists(pod.key());
        byNode.computeIfAbsent(nodeName, n -> new LinkedHashMap<>()).put(pod.key(), pod);
        nodeOf.put(pod.key(), nodeName);
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
        }
    }

    @Override
    public synchronized List<PodInfo> nominatedPodsForNode(String nodeName) {
        Map<String, PodInfo> m = byNode.get(nodeName);
        return m == null ? List.of() : List.copyOf(m.values());
    }
}
