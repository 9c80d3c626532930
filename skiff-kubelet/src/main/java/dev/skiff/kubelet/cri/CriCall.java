package dev.skiff.kubelet.cri;

import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/** Runs one CRI call and turns gRPC's exception into a {@link CriException} named after the call. */
final class CriCall {

  private CriCall() {}

  static <T> T run(String call, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw new CriException(call, e);
    }
  }
}
