package dev.skiff.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC probe against a real grpc.health.v1 server on 127.0.0.1 built from the same hand-made messages. */
class GrpcHealthCheckTest {

  /** The status the server answers per service name ("" is the whole server). */
  private static final Map<String, Integer> STATUSES = Map.of("", GrpcHealthCheck.SERVING, "sick", 2);

  private Server server;

  @BeforeEach
  void start() throws Exception {
    var service = ServerServiceDefinition.builder("grpc.health.v1.Health")
        .addMethod(GrpcHealthCheck.CHECK, ServerCalls.asyncUnaryCall((byte[] request, io.grpc.stub.StreamObserver<byte[]> out) -> {
          String name = new String(serviceName(request), java.nio.charset.StandardCharsets.UTF_8);
          Integer status = STATUSES.get(name);
          if (status == null) {
            out.onError(io.grpc.Status.NOT_FOUND.withDescription("unknown service").asRuntimeException());
            return;
          }
          out.onNext(GrpcHealthCheck.response(status));
          out.onCompleted();
        }))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow().awaitTermination();
  }

  @Test
  void servingPassesOtherStatusesAndErrorsFail() {
    int port = server.getPort();
    assertThat(GrpcHealthCheck.check("127.0.0.1", port, "", Duration.ofSeconds(5)).result())
        .isEqualTo(ProbeResult.SUCCESS);
    ProbeOutcome sick = GrpcHealthCheck.check("127.0.0.1", port, "sick", Duration.ofSeconds(5));
    assertThat(sick.result()).isEqualTo(ProbeResult.FAILURE);
    assertThat(sick.detail()).contains("NOT_SERVING");
    assertThat(GrpcHealthCheck.check("127.0.0.1", port, "nope", Duration.ofSeconds(5)).detail()).contains("NOT_FOUND");
  }

  @Test
  void aClosedPortFails() throws Exception {
    int port = server.getPort();
    server.shutdownNow().awaitTermination();
    assertThat(GrpcHealthCheck.check("127.0.0.1", port, "", Duration.ofSeconds(2)).result())
        .isEqualTo(ProbeResult.FAILURE);
  }

  /** Field 1 (string) of a HealthCheckRequest. */
  private static byte[] serviceName(byte[] request) {
    try {
      var in = com.google.protobuf.CodedInputStream.newInstance(request);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == ((1 << 3) | 2)) {
          return in.readByteArray();
        }
        in.skipField(tag);
      }
      return new byte[0];
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
