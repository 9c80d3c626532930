package dev.skiff.scheduler.framework;

/**
 * The last gate before binding: Success lets the pod bind, Unschedulable rejects it (the pod is
 * unreserved and requeued). Waiting (gang scheduling) is not supported yet.
 */
public interface PermitPlugin extends Plugin {

    Status permit(CycleState state, PodInfo pod, String nodeName);
}
