package dev.skiff.bench.sched;

import dev.skiff.bench.Latency;

/**
 * What one shape measured.
 *
 * @param podsPerSecond measured pods divided by the time from the first create to the last binding
 * @param medianSecondRate the median of the pods bound in each whole second of that window (upstream's Perc50)
 * @param createsPerSecond how fast the measured pods were created (the rate scheduling cannot exceed)
 * @param latency per pod, from just before its create request to the watch showing it bound
 * @param cpuMillisPerPod this process's CPU time (API server, scheduler and the benchmark's own clients)
 *     over the measured window, divided by the measured pods: the figure that load on the machine moves least
 */
record ShapeResult(SchedulingShape shape, int measured, double podsPerSecond, double medianSecondRate,
    double createsPerSecond, Latency latency, long setupMillis,
    double cpuMillisPerPod) {}
