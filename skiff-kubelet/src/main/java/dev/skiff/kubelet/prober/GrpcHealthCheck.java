package dev.skiff.kubelet.prober;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC probe: one {@code grpc.health.v1.Health/Check} call over plaintext, as upstream's
 * pkg/probe/grpc. The two tiny messages are encoded by hand (HealthCheckRequest{string service = 1},
 * HealthCheckResponse{enum status = 1}, SERVING = 1) rather than generated from health.proto.
 */
final class GrpcHealthCheck {

  static final String METHOD = "grpc.health.v1.Health/Check";
  /** HealthCheckResponse.ServingStatus.SERVING. */
  static final int SERVING = 1;

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], byte[]> CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(METHOD)
      .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

  private GrpcHealthCheck() {}

  static ProbeOutcome check(String ip, int port, String service, Duration timeout) {
    if (ip.isEmpty()) {
      return ProbeOutcome.failure("pod has no IP");
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress(ip, port).usePlaintext().build();
    try {
      byte[] response = ClientCalls.blockingUnaryCall(channel, CHECK,
          CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS), request(service));
      int status = status(response);
      return status == SERVING ? ProbeOutcome.success()
          : ProbeOutcome.failure("service unhealthy (responded with \"" + statusName(status) + "\")");
    } catch (StatusRuntimeException e) {
      return ProbeOutcome.failure("rpc error: " + e.getStatus());
    } finally {
      channel.shutdownNow();
    }
  }

  static byte[] request(String service) {
    try {
      var bytes = new ByteArrayOutputStream();
      var out = CodedOutputStream.newInstance(bytes);
      if (!service.isEmpty()) {
        out.writeString(1, service);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Field 1 of a HealthCheckResponse (or of a request, for a test's server: its service). */
  static int status(byte[] response) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(response);
      int status = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == (1 << 3)) {
          status = in.readEnum();
        } else {
          in.skipField(tag);
        }
      }
      return status;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] response(int status) {
    try {
      var bytes = new ByteArrayOutputStream();
      var out = CodedOutputStream.newInstance(bytes);
      out.writeEnum(1, status);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String statusName(int status) {
    return switch (status) {
      case 0 -> "UNKNOWN";
      case 1 -> "SERVING";
      case 2 -> "NOT_SERVING";
      case 3 -> "SERVICE_UNKNOWN";
      default -> Integer.toString(status);
    };
  }
}
