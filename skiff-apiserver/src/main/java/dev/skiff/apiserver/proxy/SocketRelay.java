package dev.skiff.apiserver.proxy;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a client's WebSocket (Jetty, server side) and the kubelet's (JDK client) message for
 * message, binary as binary, in order, with back-pressure both ways: a message is taken from one
 * side only after the other side accepted the previous one. Messages the kubelet sends before the
 * client's upgrade completes wait for it. Either side closing closes the other after what it
 * sent before has been passed on.
 */
public final class SocketRelay {

  private static final Logger LOG = LoggerFactory.getLogger(SocketRelay.class);
  private static final long TIMEOUT_SECONDS = 60;

  private final CountDownLatch clientOpen = new CountDownLatch(1);
  private final CompletableFuture<WebSocket> kubelet = new CompletableFuture<>();
  private volatile Session client;

  void kubeletConnected(WebSocket socket) {
    kubelet.complete(socket);
  }

  /** The listener of the kubelet's socket. */
  WebSocket.Listener kubeletListener() {
    return new WebSocket.Listener() {
      private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.writeBytes(chunk);
        if (last) {
          byte[] message = partial.toByteArray();
          partial.reset();
          if (!toClient(message)) {
            ws.abort();
            return null;
          }
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeClient(statusCode, reason);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        LOG.debug("kubelet WebSocket failed: {}", error.toString());
        closeClient(1011, "kubelet connection failed");
      }
    };
  }

  private boolean toClient(byte[] message) {
    try {
      if (!clientOpen.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        return false;
      }
      Session s = client;
      CompletableFuture<Void> sent = new CompletableFuture<>();
      s.sendBinary(ByteBuffer.wrap(message), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
      sent.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      LOG.debug("relay to the client failed: {}", e.toString());
      return false;
    }
  }

  private void closeClient(int code, String reason) {
    try {
      if (clientOpen.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) && client.isOpen()) {
        client.close(code == WebSocket.NORMAL_CLOSURE || code == 1005 ? 1000 : code, reason, Callback.NOOP);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeKubelet() {
    WebSocket ws = kubelet.getNow(null);
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((r, t) -> ws.abort());
    }
  }

  /** The endpoint of the client's socket. Public for Jetty's reflective access. */
  ClientEndpoint clientEndpoint() {
    return new ClientEndpoint();
  }

  /** The client's side. */
  public final class ClientEndpoint implements Session.Listener.AutoDemanding {

    @Override
    public void onWebSocketOpen(Session session) {
      client = session;
      clientOpen.countDown();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      byte[] message = new byte[payload.remaining()];
      payload.get(message);
      try {
        kubelet.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).sendBinary(ByteBuffer.wrap(message), true)
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        callback.succeed();
      } catch (Exception e) {
        callback.fail(e);
        closeKubelet();
      }
    }

    @Override
    public void onWebSocketText(String message) {
      client.close(1003, "text messages are not supported", Callback.NOOP);
    }

    @Override
    public void onWebSocketClose(int status, String reason) {
      closeKubelet();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      closeKubelet();
    }
  }
}
