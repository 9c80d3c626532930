package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.framework.Profile;
import dev.skiff.scheduler.plugins.InTreeRegistry;
import dev.skiff.scheduler.queue.QueueOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SchedulerService} runs: its profile (whose {@code schedulerName} picks the pods it
 * schedules), its identity in leader election and events, and upstream's leader-election settings
 * ({@code --leader-elect-lease-duration 15s}, {@code --leader-elect-renew-deadline 10s},
 * {@code --leader-elect-retry-period 2s}, Lease {@code kube-system/kube-scheduler}).
 *
 * @param leaderElect false runs the scheduler at once, for a cluster with only one scheduler
 */
public record SchedulerConfig(Profile profile, String identity, boolean leaderElect, String leaseNamespace,
                              String leaseName, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                              QueueOptions queueOptions) {

    public SchedulerConfig {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(renewDeadline, "renewDeadline");
        Objects.requireNonNull(retryPeriod, "retryPeriod");
        Objects.requireNonNull(queueOptions, "queueOptions");
        if (identity.isBlank()) {
            throw new IllegalArgumentException("identity must not be blank");
        }
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("renewDeadline must be shorter than leaseDuration");
        }
    }

    /** Upstream's defaults: the default profile, leader election on {@code kube-system/kube-scheduler}. */
    public static SchedulerConfig defaults(String identity) {
        return new SchedulerConfig(InTreeRegistry.defaultProfile(), identity, true, "kube-system", "kube-scheduler",
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), QueueOptions.DEFAULTS);
    }

    public SchedulerConfig withLeaderElection(Duration lease, Duration renew, Duration retry) {
        return new SchedulerConfig(profile, identity, true, leaseNamespace, leaseName, lease, renew, retry, queueOptions);
    }

    public SchedulerConfig withoutLeaderElection() {
        return new SchedulerConfig(profile, identity, false, leaseNamespace, leaseName, leaseDuration, renewDeadline,
                retryPeriod, queueOptions);
    }
}
