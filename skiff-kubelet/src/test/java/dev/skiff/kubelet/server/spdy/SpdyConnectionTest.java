package dev.skiff.kubelet.server.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two sessions joined back to back: streams, compressed headers in both directions, data, FIN, PING. */
class SpdyConnectionTest {

  @Test
  void streamsCarryHeadersDataAndFin() throws Exception {
    ChunkInputStream toServer = new ChunkInputStream(1000);
    ChunkInputStream toClient = new ChunkInputStream(1000);
    LinkedBlockingQueue<SpdyStream> accepted = new LinkedBlockingQueue<>();
    SpdyConnection server = new SpdyConnection(toServer, toClient::offer, s -> {
      try {
        s.reply();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
      accepted.add(s);
    });
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    CountDownLatch fin = new CountDownLatch(1);
    SpdyConnection client = new SpdyConnection(toClient, toServer::offer, s -> {});
    Thread.ofVirtual().start(server::run);
    Thread.ofVirtual().start(client::run);

    // several streams so that the header compressors' shared state is exercised
    for (int i = 0; i < 3; i++) {
      SpdyStream opened = client.openStream(Map.of("streamtype", "data", "port", "8080", "requestid", "" + i),
          data -> {
            if (data.length == 0) {
              fin.countDown();
            } else {
              received.writeBytes(data);
            }
          });
      SpdyStream onServer = accepted.poll(5, TimeUnit.SECONDS);
      assertThat(onServer).isNotNull();
      assertThat(onServer.header("streamtype")).isEqualTo("data");
      assertThat(onServer.header("port")).isEqualTo("8080");
      assertThat(onServer.header("requestid")).isEqualTo("" + i);
      assertThat(onServer.id()).isEqualTo(opened.id()).isOdd();
      if (i < 2) {
        continue;
      }
      byte[] big = new byte[100_000]; // more than one DATA frame
      big[99_999] = 7;
      opened.write(big, 0, big.length);
      opened.closeWrite();
      assertThat(onServer.input().readAllBytes()).isEqualTo(big);
      byte[] reply = "pong".getBytes(StandardCharsets.UTF_8);
      onServer.write(reply, 0, reply.length);
      onServer.closeWrite();
    }
    assertThat(fin.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(received.toString(StandardCharsets.UTF_8)).isEqualTo("pong");
    toServer.end();
    toClient.end();
  }
}
