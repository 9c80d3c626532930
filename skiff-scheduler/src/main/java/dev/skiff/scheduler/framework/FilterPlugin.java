package dev.skiff.scheduler.framework;

/**
 * Decides whether the pod can run on one node. Called for many nodes, possibly from several
 * threads of one cycle at once, so it must only read the state and the node. Returns Success,
 * Unschedulable (with a person-readable reason, and {@code unresolvable} when evicting pods could
 * not help) or Error.
 */
public interface FilterPlugin extends Plugin {

    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
