package dev.skiff.controllers;

import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.informers.SharedInformerFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager: runs the enabled controllers while this instance leads.
 *
 * <p>With leader election on, the manager campaigns for the Lease {@code kube-system/kube-controller-manager};
 * on winning it builds the controllers, starts the shared informers, waits for them to sync and
 * starts the workers; on losing the lease it stops them all (upstream exits instead; stopping
 * lets a later term start afresh). {@link #close} stops everything and releases the lease.
 * The name follows upstream's binary, not a grab-bag "manager".
 *
 * <p>Informers come from the process's {@link SharedInformerFactory}, shared with the scheduler and
 * the simulated nodes; each term registers its handlers through a scope that its end removes. The
 * constructors without a factory make one of their own and close it with the manager.
 */
public final class ControllerManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kube-controller-manager";

  private final KubernetesClient client;
  private final ControllerManagerConfig config;
  private final InstantSource clock;
  private final SharedInformerFactory factory;
  /** Whether {@link #factory} is this manager's own, to close with it. */
  private final boolean ownFactory;
  /** Guards {@link #running}, {@link #informers} and {@link #closed}. */
  private final Object lock = new Object();
  private final List<Controller> running = new ArrayList<>();
  private SharedInformers informers;
  private boolean closed;
  /** Set while this instance holds the lease; a late start after losing it must not run controllers. */
  private boolean leading;
  private final Thread campaign;
  /** The current term's election, cancelled by {@link #close}; guarded by {@link #lock}. */
  private CompletableFuture<?> election;

  public ControllerManager(KubernetesClient client, ControllerManagerConfig config) {
    this(client, config, InstantSource.system());
  }

  public ControllerManager(KubernetesClient client, ControllerManagerConfig config, InstantSource clock) {
    this(client, config, clock, new SharedInformerFactory(client), true);
  }

  /** A manager that reads the process's shared informers; the caller owns and closes {@code informers}. */
  public ControllerManager(KubernetesClient client, ControllerManagerConfig config, SharedInformerFactory informers) {
    this(client, config, InstantSource.system(), informers, false);
  }

  private ControllerManager(KubernetesClient client, ControllerManagerConfig config, InstantSource clock,
      SharedInformerFactory factory, boolean ownFactory) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.ownFactory = ownFactory;
    if (!config.leaderElect()) {
      campaign = Thread.ofVirtual().name("controller-manager-start").start(this::startControllers);
      return;
    }
    campaign = Thread.ofVirtual().name("controller-manager-election").start(this::campaign);
  }

  /**
   * Campaigns until closed. fabric8's elector stops after losing the lease (upstream's binary
   * exits then); campaigning again lets this instance lead a later term.
   */
  private void campaign() {
    var electionConfig = new LeaderElectionConfigBuilder().withName(LEASE_NAME)
        .withLock(new LeaseLock(LEASE_NAMESPACE, LEASE_NAME, config.identity()))
        .withLeaseDuration(config.leaseDuration()).withRenewDeadline(config.renewDeadline())
        .withRetryPeriod(config.retryPeriod()).withReleaseOnCancel(true)
        // the callbacks run on the elector's renew thread: starting controllers there would
        // block renewals past the deadline, so they hand over to a thread of their own
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              synchronized (lock) {
                leading = true;
              }
              Thread.ofVirtual().name("controller-manager-start").start(this::startControllers);
            },
            this::stopControllers,
            leader -> LOG.info("controller-manager leader is now {}", leader)))
        .build();
    while (true) {
      CompletableFuture<?> term;
      synchronized (lock) {
        if (closed) {
          return;
        }
        term = client.leaderElector().withConfig(electionConfig).build().start();
        election = term;
      }
      try {
        term.join();
      } catch (RuntimeException e) {
        LOG.debug("leader election ended: {}", e.toString());
      }
      stopControllers();
      try {
        Thread.sleep(config.retryPeriod().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Whether the controllers are running (this instance leads, or leader election is off). */
  public boolean isRunning() {
    synchronized (lock) {
      return !running.isEmpty();
    }
  }

  /** Failed start attempts in a row, for the retry back-off; guarded by {@code lock}. */
  private int startFailures;

  private void startControllers() {
    synchronized (lock) {
      if (closed || !running.isEmpty() || (config.leaderElect() && !leading)) {
        return;
      }
      informers = new SharedInformers(factory.scope());
      ControllerContext ctx = new ControllerContext(client, informers, clock, config);
      try {
        for (var e : ControllerRegistry.factories().entrySet()) {
          if (config.controllers().contains(e.getKey())) {
            running.add(e.getValue().apply(ctx));
          }
        }
        informers.start(Duration.ofSeconds(60));
        for (Controller c : running) {
          c.start();
          LOG.info("started {}", c.name());
        }
        startFailures = 0;
      } catch (Exception e) {
        stopLocked();
        // A slow API server (a loaded machine) can time out the informers' first lists; giving up
        // would leave the cluster without controllers for good, so try again after a back-off.
        long delay = Math.min(60, 5L << Math.min(startFailures, 4));
        startFailures++;
        LOG.error("controllers failed to start (attempt {}); trying again in {} s", startFailures, delay, e);
        Thread.ofVirtual().name("controller-manager-restart").start(() -> {
          try {
            Thread.sleep(Duration.ofSeconds(delay));
            startControllers();
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
        });
      }
    }
  }

  private void stopControllers() {
    synchronized (lock) {
      leading = false;
      stopLocked();
    }
  }

  private void stopLocked() {
    for (Controller c : running.reversed()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.warn("stopping {} failed", c.name(), e);
      }
    }
    running.clear();
    if (informers != null) {
      informers.close();
      informers = null;
    }
  }

  @Override
  public void close() {
    CompletableFuture<?> term;
    synchronized (lock) {
      closed = true;
      stopLocked();
      term = election;
    }
    if (term != null) {
      term.cancel(true);
    }
    campaign.interrupt();
    try {
      campaign.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownFactory) {
      factory.close();
    }
  }
}
