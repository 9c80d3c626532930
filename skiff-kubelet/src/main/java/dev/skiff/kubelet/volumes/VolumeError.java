package dev.skiff.kubelet.volumes;

/**
 * A pod's volume cannot be set up now (a missing ConfigMap or Secret that is not optional, a
 * hostPath of the wrong type); its containers wait in ContainerCreating and the pod's worker tries
 * again, as upstream's FailedMount.
 */
public final class VolumeError extends Exception {
  public VolumeError(String message) {
    super(message);
  }
}
