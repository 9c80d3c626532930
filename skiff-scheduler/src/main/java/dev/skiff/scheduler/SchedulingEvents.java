package dev.skiff.scheduler;

import dev.skiff.scheduler.framework.PodInfo;

/**
 * What the scheduler tells the API about each attempt, once wired: a {@code Scheduled} event
 * ("Successfully assigned ns/name to node"); or a {@code FailedScheduling} Warning event with the
 * message, the pod's {@code PodScheduled=False} condition (reason {@code Unschedulable} or
 * {@code SchedulerError}) and, after preemption, {@code status.nominatedNodeName}.
 * Implementations must not block the scheduling thread for long (queue the writes).
 */
public interface SchedulingEvents {

    void scheduled(PodInfo pod, String nodeName);

    /** {@code nominatedNodeName} is null to leave it alone, empty to clear it. */
    void failedScheduling(PodInfo pod, String reason, String message, String nominatedNodeName);

    SchedulingEvents NONE = new SchedulingEvents() {
        @Override
        public void scheduled(PodInfo pod, String nodeName) {
        }

        @Override
        public void failedScheduling(PodInfo pod, String reason, String message, String nominatedNodeName) {
        }
    };
}
