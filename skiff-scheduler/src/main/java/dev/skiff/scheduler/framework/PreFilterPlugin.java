package dev.skiff.scheduler.framework;

/**
 * Runs once per scheduling cycle before any Filter: checks the pod itself and precomputes what its
 * Filter needs into the {@link CycleState}. Returns Success, Skip (this plugin's Filter then does not
 * run this cycle), Unschedulable (no node can fit: the whole cycle fails with this reason) or Error.
 */
public interface PreFilterPlugin extends Plugin {

    Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot);

    /**
     * Optional: how to update the precomputed state when a pod is hypothetically added to or
     * removed from a node (nominated pods, preemption victims). Plugins whose state depends on
     * other pods must implement it.
     */
    default PreFilterExtensions preFilterExtensions() {
        return null;
    }
}
