package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * Remembers which pending pods were nominated to which node by preemption, so that later cycles
 * keep room for them there. Implemented by the scheduling queue; thread-safe.
 */
public interface PodNominator {

    void addNominatedPod(PodInfo pod, String nodeName);

    void deleteNominatedPodIfExists(String podKey);

    List<PodInfo> nominatedPodsForNode(String nodeName);

    /** A nominator that never holds anything. */
    PodNominator NONE = new PodNominator() {
        @Override
        public void addNominatedPod(PodInfo pod, String nodeName) {
        }

        @Override
        public void deleteNominatedPodIfExists(String podKey) {
        }

        @Override
        public List<PodInfo> nominatedPodsForNode(String nodeName) {
            return List.of();
        }
    };
}
