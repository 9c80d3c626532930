package dev.skiff.apiserver.http;

import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The WebSocket endpoint of one watch: starts streaming when the socket opens and ends the watch
 * when the client closes it. Public only because Jetty calls it reflectively.
 */
public final class WatchSocket implements Session.Listener.AutoDemanding {
  private final Consumer<Session> onOpen;
  private final Runnable onEnd;

  WatchSocket(Consumer<Session> onOpen, Runnable onEnd) {
    this.onOpen = Objects.requireNonNull(onOpen, "onOpen");
    this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
  }

  @Override
  public void onWebSocketOpen(Session session) {
    onOpen.accept(session);
  }

  @Override
  public void onWebSocketClose(int status, String reason) {
    onEnd.run();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    onEnd.run();
  }
}
