package dev.skiff.bench.sched;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One of upstream scheduler_perf's workloads (test/integration/scheduler_perf/config/performance-config.yaml):
 * nodes, pods that fill the cluster first, and the measured pods.
 *
 * @param zones values of {@code topology.kubernetes.io/zone} dealt round-robin to the nodes (empty: no label)
 * @param initPods pod {@code i} of the initial set, created in namespace {@code sched-0}
 * @param measuredPods pod {@code i} of the measured set, created in namespace {@code sched-1}
 * @param upstreamThreshold pods/s that upstream's CI requires of this shape (its much larger machines)
 */
record SchedulingShape(String name, int nodes, List<String> zones, int initCount, IntFunction<Pod> initPods,
    int measuredCount, IntFunction<Pod> measuredPods, boolean needsPriorityClasses, double upstreamThreshold) {

  /** The same shape with every count divided by {@code divisor} (for a quick run). */
  SchedulingShape scaledDown(int divisor) {
    return new SchedulingShape(name, Math.max(10, nodes / divisor), zones, initCount / divisor, initPods,
        Math.max(10, measuredCount / divisor), measuredPods, needsPriorityClasses, upstreamThreshold);
  }

  /** The same shape with {@code count} measured pods (a shorter run that keeps the cluster's size). */
  SchedulingShape withMeasured(int count) {
    return new SchedulingShape(name, nodes, zones, initCount, initPods, count, measuredPods, needsPriorityClasses,
        upstreamThreshold);
  }

  /** The shapes issue 4 names, at the sizes it names. */
  static List<SchedulingShape> all() {
    return List.of(
        new SchedulingShape("SchedulingBasic", 5000, List.of(), 1000, PerfPods::basic, 10_000, PerfPods::basic,
            false, 270),
        new SchedulingShape("TopologySpreading", 5000, List.of("moon-1", "moon-2", "moon-3"), 5000, PerfPods::basic,
            5000, PerfPods::topologySpreading, false, 85),
        new SchedulingShape("SchedulingPodAntiAffinity", 5000, List.of(), 1000, PerfPods::antiAffinity, 2000,
            PerfPods::antiAffinity, false, 60),
        new SchedulingShape("SchedulingNodeAffinity", 5000, List.of("zone1"), 5000, PerfPods::nodeAffinity, 10_000,
            PerfPods::nodeAffinity, false, 220),
        new SchedulingShape("PreemptionBasic", 500, List.of(), 2000, PerfPods::lowPriority, 500,
            PerfPods::highPriority, true, 18));
  }
}
