package dev.skiff.kubelet.cri;

/** CRI's ContainerState, in the order a container passes through them. */
public enum ContainerState {
  CREATED,
  RUNNING,
  EXITED,
  UNKNOWN
}
