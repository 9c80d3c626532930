package dev.skiff.scheduler.framework;

import java.util.Map;

/**
 * Runs only when no node passed Filter, to make the pod schedulable later (preemption). Receives
 * every node's filter status. Returns a {@link PostFilterResult} with Success, or Unschedulable with
 * a message that is appended to the FailedScheduling event.
 */
public interface PostFilterPlugin extends Plugin {

    record Outcome(PostFilterResult result, Status status) {}

    Outcome postFilter(CycleState state, PodInfo pod, Snapshot snapshot, Map<String, Status> filteredNodeStatuses);
}
