package dev.skiff.simulator;

import java.time.Duration;

/**
 * What the simulated nodes' Lease heartbeats have done so far.
 *
 * @param renewals Lease renewals written
 * @param failures renewals that failed (each node tries again in its next slot)
 * @param maxLag the longest time from a renewal's due moment to its write
 * @param meanLag the mean of the same
 */
public record HeartbeatStats(long renewals, long failures, Duration maxLag, Duration meanLag) {
}
