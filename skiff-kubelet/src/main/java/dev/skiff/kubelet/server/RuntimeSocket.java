package dev.skiff.kubelet.server;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A WebSocket client to the container runtime's streaming server (containerd's, on loopback), with
 * whole binary messages in and out. Incoming messages are handed to {@code onMessage} one at a time
 * (the next is requested only after it returns, which carries back-pressure); {@code onClose} runs
 * once when the socket ends for any reason.
 */
final class RuntimeSocket implements MessageSink, AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
      .connectTimeout(Duration.ofSeconds(10)).build();

  private final WebSocket socket;

  private RuntimeSocket(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects to {@code url} (http(s) is turned into ws(s)) asking for {@code subprotocol}. */
  static RuntimeSocket connect(String url, String subprotocol, Consumer<byte[]> onMessage, Runnable onClose)
      throws IOException {
    Objects.requireNonNull(onMessage, "onMessage");
    Objects.requireNonNull(onClose, "onClose");
    URI uri = URI.create(url.replaceFirst("^http", "ws"));
    var listener = new WebSocket.Listener() {
      private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
      private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.writeBytes(chunk);
        if (last) {
          byte[] message = partial.toByteArray();
          partial.reset();
          try {
            onMessage.accept(message);
          } catch (RuntimeException e) {
            ws.abort();
            end();
            return null;
          }
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        end();
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        end();
      }

      private void end() {
        if (ended.compareAndSet(false, true)) {
          onClose.run();
        }
      }
    };
    try {
      WebSocket ws = CLIENT.newWebSocketBuilder().subprotocols(subprotocol)
          .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener).get(20, TimeUnit.SECONDS);
      return new RuntimeSocket(ws);
    } catch (ExecutionException e) {
      throw new IOException("WebSocket to the runtime failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IOException("WebSocket to the runtime failed: " + e, e);
    }
  }

  @Override
  public synchronized void send(byte[] message) throws IOException {
    try {
      socket.sendBinary(ByteBuffer.wrap(message), true).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw new IOException("send to the runtime failed: " + e, e);
    }
  }

  @Override
  public void close(int code, String reason) {
    if (!socket.isOutputClosed()) {
      socket.sendClose(code, reason);
    }
    socket.abort();
  }

  @Override
  public void close() {
    close(WebSocket.NORMAL_CLOSURE, "");
  }
}
