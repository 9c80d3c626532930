package dev.skiff.kubelet.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The server end of one upgraded WebSocket: hands each whole binary message to a {@link MessageRelay}
 * and sends whole binary messages back. A message's callback completes only after the relay took
 * it, so a slow far end slows the client down instead of filling memory. Public only because Jetty
 * calls it reflectively.
 */
public final class ServerSocketPeer implements Session.Listener.AutoDemanding, MessageSink {

  private static final long SEND_TIMEOUT_SECONDS = 60;

  private final MessageRelay relay;
  private volatile Session session;

  ServerSocketPeer(MessageRelay relay) {
    this.relay = Objects.requireNonNull(relay, "relay");
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    Thread.ofVirtual().name("ws-open").start(() -> relay.opened(this));
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    byte[] message = new byte[payload.remaining()];
    payload.get(message);
    try {
      relay.received(message);
      callback.succeed();
    } catch (IOException | RuntimeException e) {
      callback.fail(e);
      close(1011, "relay failed");
    }
  }

  @Override
  public void onWebSocketText(String message) {
    // base64 channel protocols are not offered; a text message is a client error
    close(1003, "text messages are not supported");
  }

  @Override
  public void onWebSocketClose(int status, String reason) {
    relay.closed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    relay.closed();
  }

  /** Sends one binary message, blocking until it is written; sends are serialised. */
  @Override
  public synchronized void send(byte[] message) throws IOException {
    Session s = session;
    if (s == null || !s.isOpen()) {
      throw new IOException("WebSocket closed");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    s.sendBinary(ByteBuffer.wrap(message), Callback.from(() -> done.complete(null), done::completeExceptionally));
    try {
      done.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } catch (Exception e) {
      throw new IOException("WebSocket send failed", e);
    }
  }

  @Override
  public void close(int code, String reason) {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.close(code, reason, Callback.NOOP);
    }
  }
}
