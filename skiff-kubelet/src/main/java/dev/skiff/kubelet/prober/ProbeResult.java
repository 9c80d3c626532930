package dev.skiff.kubelet.prober;

/** The outcome of a probe: passed, failed, or not known yet (a startup probe that has not run). */
public enum ProbeResult {
  SUCCESS,
  FAILURE,
  UNKNOWN
}
