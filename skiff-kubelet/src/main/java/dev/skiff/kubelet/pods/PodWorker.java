package dev.skiff.kubelet.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker of one pod: a virtual thread that syncs the pod whenever its desired state changes,
 * its runtime state changes, a back-off ends, or periodically; only one sync of a pod runs at a
 * time and updates that arrive during one are folded into the next (upstream's pod_workers.go).
 */
final class PodWorker {

  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  /** Upstream resyncs every pod each minute; a failed sync is retried sooner. */
  private static final Duration RESYNC = Duration.ofSeconds(60);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final String uid;
  private final PodSyncer syncer;
  private final Consumer<String> onFinished;
  private final Semaphore wakeups = new Semaphore(0);
  private final Thread thread;
  private volatile Pod desired;
  private volatile boolean deleted;
  private volatile boolean stopped;

  PodWorker(String uid, PodSyncer syncer, Consumer<String> onFinished) {
    this.uid = uid;
    this.syncer = syncer;
    this.onFinished = onFinished;
    this.thread = Thread.ofVirtual().name("pod-" + uid).unstarted(this::run);
  }

  /** The pod's latest desired state, or null when it is gone from the API. */
  void update(Pod pod) {
    if (pod == null) {
      deleted = true;
    } else {
      desired = pod;
    }
    if (thread.getState() == Thread.State.NEW) {
      synchronized (this) {
        if (thread.getState() == Thread.State.NEW) {
          thread.start();
        }
      }
    }
    wake();
  }

  /** Asks for a sync soon (the runtime state changed). */
  void wake() {
    wakeups.release();
  }

  void stop() {
    stopped = true;
    thread.interrupt();
  }

  void join(Duration timeout) {
    try {
      if (thread.getState() != Thread.State.NEW) {
        thread.join(timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    Duration wait = Duration.ZERO;
    while (!stopped) {
      try {
        wakeups.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        wakeups.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      try {
        var outcome = syncer.sync(uid, deleted ? null : desired);
        if (outcome instanceof PodSyncer.Outcome.Finished) {
          onFinished.accept(uid);
          return;
        }
        Optional<Duration> again = ((PodSyncer.Outcome.Again) outcome).delay();
        wait = again.map(d -> d.plusMillis(50)).filter(d -> d.compareTo(RESYNC) < 0).orElse(RESYNC);
      } catch (RuntimeException e) {
        if (stopped) {
          return;
        }
        LOG.warn("sync of pod {} failed, retrying in {}: {}", uid, RETRY, e.toString());
        wait = RETRY;
      }
    }
  }
}
