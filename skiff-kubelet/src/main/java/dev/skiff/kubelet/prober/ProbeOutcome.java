package dev.skiff.kubelet.prober;

/**
 * One run of a probe's action: it passed, it failed, or it could not run at all (upstream's
 * {@code probe.Unknown} with an error: an unresolvable port, no handler, a runtime that could not
 * exec). An error is not a failure: the worker throws it away and the probe's result and counts
 * stay as they were.
 *
 * @param result SUCCESS, FAILURE, or UNKNOWN for an error
 * @param detail why it failed or errored (an exit code, a status, a connection error); empty when it passed
 */
record ProbeOutcome(ProbeResult result, String detail) {

  static ProbeOutcome success() {
    return new ProbeOutcome(ProbeResult.SUCCESS, "");
  }

  static ProbeOutcome failure(String detail) {
    return new ProbeOutcome(ProbeResult.FAILURE, detail);
  }

  static ProbeOutcome error(String detail) {
    return new ProbeOutcome(ProbeResult.UNKNOWN, detail);
  }

  boolean errored() {
    return result == ProbeResult.UNKNOWN;
  }
}
