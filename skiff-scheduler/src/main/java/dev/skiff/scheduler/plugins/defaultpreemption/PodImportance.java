package dev.skiff.scheduler.plugins.defaultpreemption;

import dev.skiff.scheduler.framework.PodInfo;

import java.time.Instant;
import java.util.Comparator;

/**
 * Upstream's {@code MoreImportantPod} order: higher priority first; at equal priority the pod that
 * started earlier is more important. A pod that has not started counts as starting now.
 */
final class PodImportance {

    private PodImportance() {
    }

    static Instant startTime(PodInfo p) {
        var status = p.pod().getStatus();
        String t = status == null ? null : status.getStartTime();
        return t == null ? Instant.MAX : Instant.parse(t);
    }

    /** Most important first. */
    static final Comparator<PodInfo> MOST_IMPORTANT_FIRST = Comparator
            .comparingInt(PodInfo::priority).reversed()
            .thenComparing(PodImportance::startTime);
}
