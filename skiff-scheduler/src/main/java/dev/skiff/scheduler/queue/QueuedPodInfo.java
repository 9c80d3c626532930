package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.framework.PodInfo;

import java.time.Instant;
import java.util.Set;

/**
 * A pending pod as the queue tracks it: when it entered its current sub-queue ({@code timestamp},
 * the activeQ tie-breaker), when it was first queued, how many scheduling attempts it had, and
 * which plugins rejected it last (they decide which cluster events can move it). Immutable; the
 * queue makes a new one for each change.
 */
public record QueuedPodInfo(PodInfo pod, Instant timestamp, Instant initialAttemptTimestamp, int attempts,
                            Set<String> unschedulablePlugins) {

    public QueuedPodInfo {
        unschedulablePlugins = Set.copyOf(unschedulablePlugins);
    }

    public String key() {
        return pod.key();
    }

    QueuedPodInfo withPod(PodInfo p) {
        return new QueuedPodInfo(p, timestamp, initialAttemptTimestamp, attempts, unschedulablePlugins);
    }

    QueuedPodInfo withTimestamp(Instant t) {
        return new QueuedPodInfo(pod, t, initialAttemptTimestamp, attempts, unschedulablePlugins);
    }

    QueuedPodInfo attempted() {
        return new QueuedPodInfo(pod, timestamp, initialAttemptTimestamp, attempts + 1, unschedulablePlugins);
    }

    /** This pod, rejected by {@code plugins} (empty for an internal error). */
    public QueuedPodInfo rejectedBy(Set<String> plugins) {
        return new QueuedPodInfo(pod, timestamp, initialAttemptTimestamp, attempts, plugins);
    }
}
