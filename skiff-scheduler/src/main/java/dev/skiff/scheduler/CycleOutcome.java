package dev.skiff.scheduler;

import dev.skiff.scheduler.framework.PodInfo;

import java.util.List;

/** What one scheduling cycle did with one pod. */
public sealed interface CycleOutcome {

    record Bound(String podKey, String nodeName) implements CycleOutcome {}

    /** No node fit; {@code message} is the FailedScheduling text; {@code nominatedNode} set by preemption. */
    record Unschedulable(String podKey, String message, String nominatedNode, List<PodInfo> victims) implements CycleOutcome {}

    /** Not attempted: the pod is being deleted, or the cache already holds it (assumed or bound). */
    record Skipped(String podKey) implements CycleOutcome {}

    /** An internal error (plugin fault, binding failure); the pod backs off. */
    record Failed(String podKey, String message) implements CycleOutcome {}
}
