package dev.skiff.scheduler.framework;

/**
 * What a plugin may use of the framework that created it: running the filters again on a changed
 * node (preemption), the nominator, the writes of binding and eviction, and cluster listers.
 */
public interface FrameworkHandle {

    /** Runs every Filter on {@code node}, also with the nominated pods of equal or higher priority added. */
    Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node);

    Status runPreFilterExtensionAddPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node);

    Status runPreFilterExtensionRemovePod(CycleState state, PodInfo pod, PodInfo removed, NodeInfo node);

    PodNominator nominator();

    PodBinder binder();

    PodEvictor evictor();

    ClusterLister lister();
}
