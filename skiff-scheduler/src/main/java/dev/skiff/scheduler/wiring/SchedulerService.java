package dev.skiff.scheduler.wiring;

import dev.skiff.informers.SharedInformerFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Skiff's kube-scheduler as a client of the API server: the entry point that {@code skiff server}
 * starts. With leader election (the default) it campaigns for the Lease
 * {@code kube-system/kube-scheduler} and schedules only while it holds it, so of several instances
 * exactly one acts; each term runs a fresh {@link SchedulingSession}. Losing the lease stops
 * scheduling at once (upstream exits the process; here the instance keeps campaigning).
 *
 * <p>Informers come from the process's {@link SharedInformerFactory} (one cache per kind for the
 * scheduler, the controller manager and the simulated nodes of one process); the standalone
 * constructor makes a factory of its own and closes it with the service.
 *
 * <p>Owns its threads: {@link #close()} stops scheduling, releases the lease and waits.
 */
public final class SchedulerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);

    private final KubernetesClient client;
    private final SchedulerConfig config;
    private final SharedInformerFactory informers;
    /** Whether {@link #informers} is this service's own, to close with it. */
    private final boolean ownInformers;
    private final Thread campaign;
    private CompletableFuture<?> election;
    private SchedulingSession session;
    private boolean closed;
    /** Whether this instance holds the lease now (always, without election); guarded by this. */
    private boolean leading;

    /** A scheduler with informers of its own (tests, a scheduler alone in its process). */
    public SchedulerService(KubernetesClient client, SchedulerConfig config) {
        this(client, config, new SharedInformerFactory(client), true);
    }

    /** A scheduler that reads the process's shared informers; the caller owns and closes {@code informers}. */
    public SchedulerService(KubernetesClient client, SchedulerConfig config, SharedInformerFactory informers) {
        this(client, config, informers, false);
    }

    private SchedulerService(KubernetesClient client, SchedulerConfig config, SharedInformerFactory informers,
                             boolean ownInformers) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.informers = Objects.requireNonNull(informers, "informers");
        this.ownInformers = ownInformers;
        if (!config.leaderElect()) {
            campaign = null;
            leading = true;
            startLeading();
            return;
        }
        campaign = Thread.ofVirtual().name("scheduler-election").start(this::campaign);
    }

    /**
     * Campaigns until closed. fabric8's elector ends for good when a renewal misses its deadline
     * (upstream's binary exits then and is restarted); in one process with the other components,
     * campaigning again is what lets this scheduler lead a later term instead of never again.
     */
    private void campaign() {
        LeaderElectionConfig lec = new LeaderElectionConfig(
                new LeaseLock(config.leaseNamespace(), config.leaseName(), config.identity()),
                config.leaseDuration(), config.renewDeadline(), config.retryPeriod(),
                // the callbacks run on the elector's renew thread: building a session there (informers,
                // cache sync) would hold renewals past their deadline, so it gets a thread of its own
                new LeaderCallbacks(() -> {
                    synchronized (this) {
                        leading = true;
                    }
                    Thread.ofVirtual().name("scheduler-start").start(this::startLeading);
                },
                        this::stopLeading,
                        leader -> log.info("scheduler lease {}/{} held by {}", config.leaseNamespace(), config.leaseName(), leader)),
                true, config.leaseName());
        while (true) {
            CompletableFuture<?> term;
            synchronized (this) {
                if (closed) {
                    return;
                }
                term = client.leaderElector().withConfig(lec).build().start();
                election = term;
            }
            try {
                term.join();
            } catch (RuntimeException e) {
                log.debug("scheduler leader election ended: {}", e.toString());
            }
            stopLeading();
            try {
                Thread.sleep(config.retryPeriod().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void startLeading() {
        if (closed || !leading || session != null) {
            return;
        }
        log.info("{} starts scheduling", config.identity());
        session = new SchedulingSession(client, informers.scope(), config);
    }

    private void stopLeading() {
        SchedulingSession s;
        synchronized (this) {
            leading = false;
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
        CompletableFuture<?> term;
        synchronized (this) {
            closed = true;
            term = election;
        }
        stopLeading();
        if (term != null) {
            // cancelling the elector releases the lease (releaseOnCancel), so a standby takes over at once
            term.cancel(true);
        }
        if (campaign != null) {
            campaign.interrupt();
            try {
                campaign.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownInformers) {
            informers.close();
        }
    }
}
