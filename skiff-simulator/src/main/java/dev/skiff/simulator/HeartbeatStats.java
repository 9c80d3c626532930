package dev.skiff.simulator;

import java.time.Duration;

/**
 * What the simulated nodes' Lease heartbeats have done so far. The interval between two renewals
 * of one node is what must stay under the Lease's duration (40 s) for the node to stay Ready; it
 * is the configured interval (10 s) when the API server keeps up, more when it does not.
 *
 * @param renewals Lease renewals written
 * @param failures renewals that failed (each node tries again in its next slot)
 * @param meanInterval the mean time between two renewals of one node
 * @param maxInterval the longest time between two renewals of one node
 */
public record HeartbeatStats(long renewals, long failures, Duration meanInterval, Duration maxInterval) {
}
