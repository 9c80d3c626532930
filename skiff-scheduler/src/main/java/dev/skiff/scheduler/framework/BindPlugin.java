package dev.skiff.scheduler.framework;

/**
 * Binds the pod to the node (writes {@code pods/binding}). Plugins run in order until one returns
 * something other than Skip; Skip means "not mine, ask the next". Called outside the scheduling
 * cycle and may block.
 */
public interface BindPlugin extends Plugin {

    Status bind(CycleState state, PodInfo pod, String nodeName);
}
