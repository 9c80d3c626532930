package dev.skiff.kubelet.prober;

/**
 * One run of a probe's action.
 *
 * @param result SUCCESS or FAILURE
 * @param detail why it failed (an exit code, a status, a connection error); empty when it passed
 */
record ProbeOutcome(ProbeResult result, String detail) {

  static ProbeOutcome success() {
    return new ProbeOutcome(ProbeResult.SUCCESS, "");
  }

  static ProbeOutcome failure(String detail) {
    return new ProbeOutcome(ProbeResult.FAILURE, detail);
  }
}
