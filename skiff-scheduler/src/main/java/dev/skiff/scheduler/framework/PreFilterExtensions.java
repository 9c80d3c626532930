package dev.skiff.scheduler.framework;

/**
 * Incremental updates of a PreFilter plugin's cycle state, used by preemption (removing victims)
 * and by the nominated-pods pass (adding pods expected to land on a node). Both run on a copy of
 * the state and must leave the original untouched.
 */
public interface PreFilterExtensions {

    /** {@code added} will be on {@code node} when {@code pod} is evaluated. */
    Status addPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node);

    /** {@code removed} will no longer be on {@code node} when {@code pod} is evaluated. */
    Status removePod(CycleState state, PodInfo pod, PodInfo removed, NodeInfo node);
}
