package dev.skiff.scheduler.framework;

/**
 * Told that the pod has been assumed onto a node ({@link #reserve}), before binding; and told to
 * undo it ({@link #unreserve}) when a later step fails. Unreserve must be idempotent and may be
 * called even when reserve was not.
 */
public interface ReservePlugin extends Plugin {

    Status reserve(CycleState state, PodInfo pod, String nodeName);

    void unreserve(CycleState state, PodInfo pod, String nodeName);
}
