package dev.skiff.kubelet.prober;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe of one container, run by its own virtual thread (upstream's prober/worker.go): waits
 * initialDelaySeconds after the container started, then runs every periodSeconds; the result flips
 * only after successThreshold passes or failureThreshold failures in a row; a run that errored (see
 * {@link ProbeOutcome}) is retried at once up to {@link #MAX_RETRIES} times in all and then thrown
 * away, leaving result and counts as they were. Liveness and readiness
 * wait while a startup probe has not passed; a startup probe stops running once it has. Each
 * change of the result is reported to {@code onChange}. Stops with {@link #close()} (the container
 * stopped or the pod is gone).
 */
final class ProbeWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeWorker.class);

  /** What the worker reports: the container, the probe, the new result and why. */
  interface Listener {
    void changed(ProbeWorker worker, ProbeResult result, String detail);

    /** The probe could not run, even after retries; its result stays as it was. */
    default void errored(ProbeWorker worker, String detail) {}
  }

  /** Runs a probe's action once (the real one is {@link ProbeActions#run}). */
  interface Action {
    ProbeOutcome run(Probe probe, ProbeTarget target);
  }

  /** Upstream's maxProbeRetries: an erroring probe is run again at once this many times in all. */
  static final int MAX_RETRIES = 3;

  private final String podName;
  private final ProbeKind kind;
  private final Probe probe;
  private final ProbeTarget target;
  private final Action actions;
  private final BooleanSupplier started;
  private final Listener listener;
  private final Instant containerStarted;
  private final Thread thread;
  private volatile ProbeResult result;
  private volatile boolean stopped;

  /**
   * @param started whether the container's startup probe has passed (always true without one)
   */
  ProbeWorker(String podName, ProbeKind kind, Probe probe, ProbeTarget target, Instant containerStarted,
      Action actions, BooleanSupplier started, Listener listener) {
    this.podName = Objects.requireNonNull(podName, "podName");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.target = Objects.requireNonNull(target, "target");
    this.containerStarted = Objects.requireNonNull(containerStarted, "containerStarted");
    this.actions = Objects.requireNonNull(actions, "actions");
    this.started = Objects.requireNonNull(started, "started");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.result = kind.initial();
    this.thread = Thread.ofVirtual().name("probe-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-"
        + target.containerId().substring(0, Math.min(12, target.containerId().length()))).start(this::run);
  }

  ProbeKind kind() {
    return kind;
  }

  ProbeTarget target() {
    return target;
  }

  ProbeResult result() {
    return result;
  }

  private void run() {
    Duration period = seconds(probe.getPeriodSeconds(), 10);
    int successThreshold = Math.max(1, probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold());
    int failureThreshold = Math.max(1, probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold());
    Instant firstRun = containerStarted.plus(seconds(probe.getInitialDelaySeconds(), 0));
    ProbeResult last = null;
    String lastError = null;
    int run = 0;
    try {
      Duration untilFirst = Duration.between(Instant.now(), firstRun);
      if (untilFirst.isPositive()) {
        Thread.sleep(untilFirst);
      }
      while (!stopped) {
        boolean gated = kind != ProbeKind.STARTUP && !started.getAsBoolean();
        boolean done = kind == ProbeKind.STARTUP && result == ProbeResult.SUCCESS;
        if (!gated && !done) {
          ProbeOutcome outcome = actions.run(probe, target);
          for (int retry = 1; retry < MAX_RETRIES && outcome.errored() && !stopped; retry++) {
            outcome = actions.run(probe, target);
          }
          if (stopped) {
            return;
          }
          if (outcome.errored()) {
            // upstream's worker throws the result away: neither counts nor result change
            LOG.debug("pod {}: {} probe of {} errored: {}", podName, kind.display(), target.container().getName(),
                outcome.detail());
            if (!outcome.detail().equals(lastError)) {
              listener.errored(this, outcome.detail()); // once per distinct error, not every period
              lastError = outcome.detail();
            }
            Thread.sleep(period);
            continue;
          }
          lastError = null;
          run = outcome.result() == last ? run + 1 : 1;
          last = outcome.result();
          int needed = last == ProbeResult.SUCCESS ? successThreshold : failureThreshold;
          if (run >= needed && result != last) {
            result = last;
            LOG.info("pod {}: {} probe of container {} now {}{}", podName, kind.display(), target.container().getName(),
                last, outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")");
            listener.changed(this, last, outcome.detail());
          } else if (last == ProbeResult.FAILURE) {
            LOG.debug("pod {}: {} probe of {} failed ({}/{}): {}", podName, kind.display(),
                target.container().getName(), run, failureThreshold, outcome.detail());
          }
        }
        Thread.sleep(period);
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  private static Duration seconds(Integer value, int fallback) {
    return Duration.ofSeconds(value == null || value < 0 ? fallback : value == 0 && fallback > 0 ? fallback : value);
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
