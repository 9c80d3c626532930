package dev.skiff.kubelet.cri;

/** CRI's PodSandboxState: a sandbox is ready while its network and pause process are up. */
public enum SandboxState {
  READY,
  NOT_READY
}
