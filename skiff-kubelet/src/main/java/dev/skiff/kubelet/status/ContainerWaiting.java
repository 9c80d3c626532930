package dev.skiff.kubelet.status;

import java.util.Objects;

/**
 * Why the kubelet holds a container back, as its status shows it: {@code CrashLoopBackOff},
 * {@code ErrImagePull}, {@code ErrImageNeverPull}, {@code CreateContainerConfigError} and so on.
 */
public record ContainerWaiting(String reason, String message) {
  public ContainerWaiting {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
