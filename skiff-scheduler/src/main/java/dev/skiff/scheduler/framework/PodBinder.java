package dev.skiff.scheduler.framework;

/**
 * Writes a binding of a pod to a node ({@code POST pods/NAME/binding} once the API wiring exists).
 * May block; throws on failure (conflict, pod gone), which requeues the pod.
 */
public interface PodBinder {

    void bind(PodInfo pod, String nodeName) throws Exception;
}
