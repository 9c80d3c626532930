package dev.skiff.scheduler.framework;

/**
 * The outcome of the scheduling algorithm for one pod (PreFilter through host selection; not
 * Reserve, Permit or Bind).
 */
public sealed interface ScheduleAttempt {

    /** A node was chosen; {@code evaluatedNodes} ran Filter, {@code feasibleNodes} passed it. */
    record Scheduled(String nodeName, int evaluatedNodes, int feasibleNodes) implements ScheduleAttempt {}

    /** No node fits; PostFilter (preemption) has not run yet. */
    record NoFit(Diagnosis diagnosis) implements ScheduleAttempt {}

    /** A plugin failed internally. */
    record Failed(Status.Error error, String plugin) implements ScheduleAttempt {}
}
