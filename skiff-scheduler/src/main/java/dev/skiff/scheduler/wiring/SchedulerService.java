package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Skiff's kube-scheduler as a client of the API server: the entry point that {@code skiff server}
 * starts. With leader election (the default) it campaigns for the Lease
 * {@code kube-system/kube-scheduler} and schedules only while it holds it, so of several instances
 * exactly one acts; each term runs a fresh {@link SchedulingSession}. Losing the lease stops
 * scheduling at once (upstream exits the process; here the instance keeps campaigning).
 *
 * <p>Owns its threads: {@link #close()} stops scheduling, releases the lease and waits.
 */
public final class SchedulerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);

    private final KubernetesClient client;
    private final SchedulerConfig config;
    private final ExecutorService electorThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final CompletableFuture<?> election;
    private SchedulingSession session;
    private boolean closed;

    public SchedulerService(KubernetesClient client, SchedulerConfig config) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        if (!config.leaderElect()) {
            election = null;
            startLeading();
            return;
        }
        LeaderElectionConfig lec = new LeaderElectionConfig(
                new LeaseLock(config.leaseNamespace(), config.leaseName(), config.identity()),
                config.leaseDuration(), config.renewDeadline(), config.retryPeriod(),
                new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> log.info("scheduler lease {}/{} held by {}", config.leaseNamespace(), config.leaseName(), leader)),
                true, config.leaseName());
        LeaderElector elector = client.leaderElector().withConfig(lec).build();
        election = elector.start();
    }

    private synchronized void startLeading() {
        if (closed || session != null) {
            return;
        }
        log.info("{} starts scheduling", config.identity());
        session = new SchedulingSession(client, config);
    }

    private void stopLeading() {
        SchedulingSession s;
        synchronized (this) {
            s = session;
            session = null;
        }
        if (s != null) {
            log.info("{} stops scheduling", config.identity());
            try {
                s.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True while this instance holds the lease (or runs without election) and its caches synced. */
    public synchronized boolean isScheduling() {
        return session != null && session.isScheduling();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stopLeading();
        if (election != null) {
            // cancelling the elector releases the lease (releaseOnCancel), so a standby takes over at once
            election.cancel(true);
        }
        electorThreads.close();
    }
}
