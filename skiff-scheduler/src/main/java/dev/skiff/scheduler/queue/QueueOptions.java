package dev.skiff.scheduler.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * The queue's timings and bound. Upstream's defaults: back-off from 1 s doubling to 10 s per pod,
 * pods left unschedulable for 5 minutes are retried anyway.
 */
public record QueueOptions(Duration initialBackoff, Duration maxBackoff, Duration maxInUnschedulable, int maxPods) {

    public static final QueueOptions DEFAULTS =
            new QueueOptions(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5), 1_000_000);

    public QueueOptions {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxInUnschedulable, "maxInUnschedulable");
        if (maxPods <= 0) {
            throw new IllegalArgumentException("maxPods must be positive");
        }
    }

    /** The back-off after {@code attempts} failed attempts: initial * 2^(attempts-1), capped. */
    public Duration backoffFor(int attempts) {
        Duration d = initialBackoff;
        for (int i = 1; i < attempts; i++) {
            d = d.multipliedBy(2);
            if (d.compareTo(maxBackoff) >= 0) {
                return maxBackoff;
            }
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
