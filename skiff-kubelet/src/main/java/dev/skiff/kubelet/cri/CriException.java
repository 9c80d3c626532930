package dev.skiff.kubelet.cri;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A CRI call that the runtime refused or that did not complete (deadline, connection lost).
 * {@link #code()} tells which: callers act on {@code NOT_FOUND} (already gone) and
 * {@code UNAVAILABLE} (runtime down) differently from real failures.
 */
public final class CriException extends RuntimeException {

  private final Status.Code code;

  CriException(String call, StatusRuntimeException cause) {
    super(call + ": " + cause.getStatus().getCode() + ": " + cause.getStatus().getDescription(), cause);
    this.code = cause.getStatus().getCode();
  }

  /** The gRPC status code of the failed call. */
  public Status.Code code() {
    return code;
  }

  /** Whether the runtime said the object does not exist. */
  public boolean notFound() {
    return code == Status.Code.NOT_FOUND;
  }
}
