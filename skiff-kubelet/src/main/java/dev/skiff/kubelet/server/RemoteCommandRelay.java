package dev.skiff.kubelet.server;

import dev.skiff.kubelet.server.spdy.SpdyConnection;
import dev.skiff.kubelet.server.spdy.SpdyStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one exec or attach session between the client's WebSocket (channel protocol v5 or v4:
 * each message is a channel byte and data; 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, and in
 * v5 255 = close the channel in the next byte) and the runtime's streaming server over SPDY/3.1
 * ({@code X-Stream-Protocol-Version: v4.channel.k8s.io}; one stream per channel, opened by this
 * side with header {@code streamType}). SPDY rather than the runtime's WebSocket because only
 * SPDY can end stdin (a FIN) while the command runs, which {@code kubectl cp} into a pod and
 * {@code exec -i} with piped input need. The runtime writes the command's end as a Status on
 * the error stream (Success, or Failure with reason NonZeroExitCode and an ExitCode cause),
 * passed on as channel 3, and then closes; the client's socket is then closed.
 */
final class RemoteCommandRelay implements MessageRelay {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteCommandRelay.class);
  static final String V4 = "v4.channel.k8s.io";
  static final String V5 = "v5.channel.k8s.io";
  private static final int CLOSE_CHANNEL = 255;

  /** Which streams the CRI request asked for. */
  record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

  private final String runtimeUrl;
  private final Streams streams;
  private final CountDownLatch connected = new CountDownLatch(1);
  private volatile Socket socket;
  private volatile SpdyStream stdin;
  private volatile SpdyStream resize;

  RemoteCommandRelay(String runtimeUrl, Streams streams) {
    this.runtimeUrl = Objects.requireNonNull(runtimeUrl, "runtimeUrl");
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  @Override
  public void opened(MessageSink client) {
    SpdyConnection spdy;
    try {
      spdy = connect();
      spdy.openStream(Map.of("streamtype", "error"), forwardTo(client, 3));
      if (streams.stdin()) {
        stdin = spdy.openStream(Map.of("streamtype", "stdin"), data -> {});
      }
      if (streams.stdout()) {
        spdy.openStream(Map.of("streamtype", "stdout"), forwardTo(client, 1));
      }
      if (streams.stderr()) {
        spdy.openStream(Map.of("streamtype", "stderr"), forwardTo(client, 2));
      }
      if (streams.tty()) {
        resize = spdy.openStream(Map.of("streamtype", "resize"), data -> {});
      }
    } catch (IOException e) {
      LOG.warn("cannot reach the runtime's streaming server: {}", e.toString());
      try {
        client.send(statusMessage("Failure", 500, "InternalError", "error connecting to the runtime: " + e.getMessage()));
      } catch (IOException ignored) {
        // the client is gone as well
      }
      client.close(1011, "runtime unreachable");
      closed();
      return;
    } finally {
      connected.countDown();
    }
    spdy.run();
    client.close(1000, "");
    closed();
  }

  private SpdyConnection connect() throws IOException {
    URI uri = URI.create(runtimeUrl);
    Socket s = new Socket();
    socket = s;
    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    OutputStream out = s.getOutputStream();
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    out.write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: " + V4
        + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    String head = readHead(in);
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("the runtime refused the upgrade: " + head.lines().findFirst().orElse(""));
    }
    return new SpdyConnection(new BufferedInputStream(in), frame -> {
      synchronized (out) {
        out.write(frame);
        out.flush();
      }
    }, peerStream -> {
      try {
        peerStream.reset(); // the runtime opens no streams of its own
      } catch (IOException ignored) {
        // the session is ending
      }
    });
  }

  /** The response head, read byte by byte so that nothing of the SPDY session after it is consumed. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the runtime closed the connection during the upgrade");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 16 * 1024) {
        throw new IOException("oversized upgrade response");
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static java.util.function.Consumer<byte[]> forwardTo(MessageSink client, int channel) {
    return data -> {
      if (data.length == 0) {
        return; // the stream's end; the session's end closes the client
      }
      byte[] message = new byte[data.length + 1];
      message[0] = (byte) channel;
      System.arraycopy(data, 0, message, 1, data.length);
      try {
        client.send(message);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  @Override
  public void received(byte[] message) throws IOException {
    try {
      if (!connected.await(30, TimeUnit.SECONDS)) {
        throw new IOException("runtime connection not ready");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (message.length == 0) {
      return;
    }
    int channel = message[0] & 0xff;
    SpdyStream in = stdin;
    SpdyStream size = resize;
    if (channel == 0 && in != null) {
      in.write(message, 1, message.length - 1);
    } else if (channel == 4 && size != null) {
      size.write(message, 1, message.length - 1);
    } else if (channel == CLOSE_CHANNEL && message.length > 1 && message[1] == 0 && in != null) {
      in.closeWrite();
    }
  }

  @Override
  public void closed() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** A channel-3 message carrying a Status. */
  static byte[] statusMessage(String status, int code, String reason, String message) {
    var json = new com.google.gson.JsonObject();
    json.addProperty("kind", "Status");
    json.addProperty("apiVersion", "v1");
    json.add("metadata", new com.google.gson.JsonObject());
    json.addProperty("status", status);
    json.addProperty("message", message);
    json.addProperty("reason", reason);
    json.addProperty("code", code);
    byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[body.length + 1];
    out[0] = 3;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }
}
