package dev.skiff.kubelet.prober;

/** The three probes of a container, with the result each holds before its first run (upstream's prober/worker.go). */
public enum ProbeKind {
  /** A failure kills the container, which restarts per restartPolicy; counts as passing until it has run. */
  LIVENESS("Liveness", ProbeResult.SUCCESS),
  /** Drives the container's ready field; counts as failing until it has passed. */
  READINESS("Readiness", ProbeResult.FAILURE),
  /** Gates the other two; a failure kills the container like liveness; unknown until it has run. */
  STARTUP("Startup", ProbeResult.UNKNOWN);

  private final String display;
  private final ProbeResult initial;

  ProbeKind(String display, ProbeResult initial) {
    this.display = display;
    this.initial = initial;
  }

  /** As upstream's messages name it ("Liveness probe failed: ..."). */
  public String display() {
    return display;
  }

  ProbeResult initial() {
    return initial;
  }
}
