package dev.skiff.kubelet.server;

import dev.skiff.kubelet.cri.RuntimeService;
import dev.skiff.kubelet.server.spdy.ChunkInputStream;
import dev.skiff.kubelet.server.spdy.SpdyConnection;
import dev.skiff.kubelet.server.spdy.SpdyStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code kubectl port-forward} session: a SPDY/3.1 session tunnelled in the binary messages of
 * a WebSocket with subprotocol {@code SPDY/3.1+portforward.k8s.io} (client-go's
 * PortForwardWebsockets). The client opens two streams per forwarded connection, headers
 * {@code streamtype} ({@code error} or {@code data}), {@code port} and {@code requestid}; once both
 * of a request are open, the data stream is relayed to the pod's port through the runtime
 * (CRI PortForward, then the runtime's WebSocket port-forward with {@code ?port=N}: channel 0 data,
 * channel 1 errors, each starting with the port as two little-endian bytes). When the pod's side
 * ends, both streams are closed, which ends that connection in kubectl.
 */
final class PortForwardTunnel implements MessageRelay {

  private static final Logger LOG = LoggerFactory.getLogger(PortForwardTunnel.class);
  /** The WebSocket subprotocol of client-go's SPDY-over-WebSocket tunnel for port-forward. */
  static final String PROTOCOL = "SPDY/3.1+portforward.k8s.io";
  /** The same tunnel under a name that is an RFC 7230 token, as the API server's JDK client must offer it. */
  static final String PROTOCOL_TOKEN = "spdy3.1-tunnel.portforward.skiff.dev";

  private final RuntimeService runtime;
  private final String sandboxId;
  /** The tunnel's bytes; a bounded backlog slows the client down instead of filling memory. */
  private final ChunkInputStream input = new ChunkInputStream(64);
  private final Map<String, SpdyStream[]> pairs = new ConcurrentHashMap<>();
  private volatile SpdyConnection spdy;

  PortForwardTunnel(RuntimeService runtime, String sandboxId) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.sandboxId = Objects.requireNonNull(sandboxId, "sandboxId");
  }

  @Override
  public void opened(MessageSink client) {
    spdy = new SpdyConnection(input, client::send, this::onStream);
    spdy.run();
    client.close(1000, "");
  }

  @Override
  public void received(byte[] message) throws IOException {
    input.offer(message);
  }

  @Override
  public void closed() {
    input.end();
  }

  private void onStream(SpdyStream stream) {
    try {
      stream.reply();
    } catch (IOException e) {
      return;
    }
    String type = stream.header("streamtype");
    String request = stream.header("requestid");
    SpdyStream[] pair = pairs.computeIfAbsent(request, r -> new SpdyStream[2]);
    boolean complete;
    synchronized (pair) {
      switch (type) {
        case "error" -> pair[1] = stream;
        case "data" -> pair[0] = stream;
        default -> {
          LOG.debug("port-forward stream of unknown type {}", type);
          return;
        }
      }
      complete = pair[0] != null && pair[1] != null;
    }
    if (complete) {
      pairs.remove(request);
      Thread.ofVirtual().name("port-forward-" + request).start(() -> forward(pair[0], pair[1]));
    }
  }

  private void forward(SpdyStream data, SpdyStream error) {
    String portHeader = data.header("port");
    int port;
    try {
      port = Integer.parseInt(portHeader);
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      fail(data, error, "invalid port \"" + portHeader + "\"");
      return;
    }
    int[] prefixLeft = {2, 2}; // the port the runtime writes first on each channel
    RuntimeSocket socket;
    try {
      String url = runtime.portForward(sandboxId, List.of(port));
      socket = RuntimeSocket.connect(url + (url.contains("?") ? "&" : "?") + "port=" + port, RemoteCommandRelay.V4,
          message -> {
            if (message.length == 0 || message[0] > 1) {
              return;
            }
            int channel = message[0];
            int skip = Math.min(prefixLeft[channel], message.length - 1);
            prefixLeft[channel] -= skip;
            try {
              (channel == 0 ? data : error).write(message, 1 + skip, message.length - 1 - skip);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          },
          () -> {
            try {
              data.closeWrite();
              error.closeWrite();
            } catch (IOException ignored) {
              // the session is gone already
            }
          });
    } catch (IOException | RuntimeException e) {
      fail(data, error, "error forwarding port %d to pod %s: %s".formatted(port, sandboxId, e.getMessage()));
      return;
    }
    try (InputStream in = data.input()) {
      byte[] buf = new byte[32 * 1024];
      int n;
      while ((n = in.read(buf, 1, buf.length - 1)) >= 0) {
        byte[] message = new byte[n + 1];
        System.arraycopy(buf, 1, message, 1, n);
        socket.send(message);
      }
    } catch (IOException e) {
      LOG.debug("port-forward to {} ended: {}", port, e.toString());
      socket.close();
    }
    // the client's half-close has no WebSocket counterpart: the runtime ends the connection
  }

  private static void fail(SpdyStream data, SpdyStream error, String message) {
    LOG.info("port-forward failed: {}", message);
    try {
      byte[] m = message.getBytes(StandardCharsets.UTF_8);
      error.write(m, 0, m.length);
      error.closeWrite();
      data.closeWrite();
    } catch (IOException ignored) {
      // nothing more can be told to a client that is gone
    }
  }
}
