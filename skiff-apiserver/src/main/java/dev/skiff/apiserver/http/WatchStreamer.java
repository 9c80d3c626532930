package dev.skiff.apiserver.http;

import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.ResourceWatch;
import dev.skiff.apiserver.registry.TableConvertor;
import dev.skiff.apiserver.registry.WatchEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams watches to clients, as upstream does: newline-delimited {@code {"type":..,"object":..}}
 * frames over a chunked HTTP response (kubectl, client-go), or one text message per event over a
 * WebSocket (fabric8 asks for one first). A watch ends at its timeout, when the client leaves, or at
 * {@link #close()} (server shutdown). Thread-safe; each watch runs on one virtual thread.
 */
final class WatchStreamer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchStreamer.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  /** How long a watch's client may leave a write unread (its HTTP/2 window closed) before the watch ends. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

  /** Where a watch's frames go. */
  private interface Sink {
    /** Sends or queues one event's frame. */
    void send(byte[] frame) throws IOException;

    /** Sends whatever is queued: called after each poll's events. */
    void flush() throws IOException;
  }

  /** How a watch encodes events: the negotiated format, its strategy for tables. */
  record Encoding(ResourceStrategy strategy, OutputFormat format, TableConvertor.IncludeObject include) {}

  private final InstantSource clock;
  private final ServerWebSocketContainer webSockets;
  private final Set<ResourceWatch> active = ConcurrentHashMap.newKeySet();
  private final WatchConnections connections = new WatchConnections();
  private volatile boolean closed;

  WatchStreamer(InstantSource clock, ServerWebSocketContainer webSockets) {
    this.clock = clock;
    this.webSockets = webSockets;
  }

  /** Whether the request asks to upgrade to a WebSocket. */
  static boolean wantsWebSocket(Exchange ex) {
    return ex.header("Upgrade").equalsIgnoreCase("websocket");
  }

  void serve(Exchange ex, ResourceWatch watch, Encoding encoding, Duration timeout) {
    active.add(watch);
    ex.onFailure(watch::close);
    OutputFormat format = encoding.format();
    ConnectionMetaData meta = ex.request().getConnectionMetaData();
    Object connection = meta.getHttpVersion() == HttpVersion.HTTP_2 ? meta.getConnection() : null;
    boolean joined = false;
    try (watch; OutputStream out = ex.stream(200,
        format == OutputFormat.YAML ? OutputFormat.JSON.contentType() : format.contentType())) {
      // Each poll's frames go out in one write (one HTTP/2 DATA frame), handed to Jetty without
      // waiting for it to be sent; the stream's end waits for the last one. Over HTTP/2 the writes
      // of the connection's watches are gathered into shared socket writes.
      Content.Sink sink = ex.streamSink();
      if (connection != null) {
        sink = connections.join(connection).sink(sink);
        joined = true;
      }
      WatchStreamWriter writer = new WatchStreamWriter(sink, STALL_TIMEOUT);
      try {
        pump(watch, encoding, timeout, new Sink() {
          @Override
          public void send(byte[] frame) throws IOException {
            writer.send(frame);
          }

          @Override
          public void flush() throws IOException {
            writer.flush();
          }
        });
      } finally {
        writer.awaitInFlight();
      }
    } catch (IOException e) {
      // the client went away (a reset stream or closed connection): the normal end of a watch
      LOG.debug("watch stream ended: {}", e.toString());
    } finally {
      if (joined) {
        connections.leave(connection);
      }
      active.remove(watch);
    }
  }

  /** Upgrades to a WebSocket and streams the watch on it; false when the upgrade was refused. */
  boolean serveWebSocket(Exchange ex, ResourceWatch watch, Encoding encoding, Duration timeout) throws Exception {
    active.add(watch);
    boolean upgraded;
    try {
      upgraded = ex.upgrade(webSockets, (rq, rs, cb) -> new WatchSocket(
          session -> Thread.ofVirtual().name("watch-ws").start(() -> streamTo(session, watch, encoding, timeout)),
          watch::close));
    } catch (RuntimeException e) {
      active.remove(watch);
      watch.close();
      throw e;
    }
    if (!upgraded) {
      active.remove(watch);
      watch.close();
    }
    return upgraded;
  }

  private void streamTo(Session session, ResourceWatch watch, Encoding encoding, Duration timeout) {
    try (watch) {
      pump(watch, encoding, timeout, new Sink() {
        @Override
        public void send(byte[] frame) throws IOException {
          Callback.Completable sent = new Callback.Completable();
          session.sendText(new String(frame, java.nio.charset.StandardCharsets.UTF_8), sent);
          try {
            sent.get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IOException("WebSocket send failed", e);
          }
        }

        @Override
        public void flush() {}
      });
    } catch (IOException e) {
      LOG.debug("websocket watch ended: {}", e.toString());
    } finally {
      active.remove(watch);
      if (session.isOpen()) {
        session.close(1000, "", Callback.NOOP);
      }
    }
  }

  private void pump(ResourceWatch watch, Encoding encoding, Duration timeout, Sink sink) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean first = true;
    try {
      while (!closed && !watch.isDone() && System.nanoTime() < deadline) {
        List<WatchEvent> events = watch.poll(POLL);
        for (WatchEvent e : events) {
          boolean plain = encoding.format() == OutputFormat.JSON || encoding.format() == OutputFormat.YAML;
          if (plain && e.jsonFrame() != null) {
            // encoded once for every watch of this event (the watch cache's events)
            sink.send(e.jsonFrame().get());
            continue;
          }
          ObjectNode object = e.object();
          if (encoding.format() == OutputFormat.TABLE && !e.type().equals("ERROR")) {
            boolean bookmark = e.isBookmark();
            object = TableConvertor.table(encoding.strategy(), bookmark ? List.of() : List.of(object),
                object.path("metadata").path("resourceVersion").asString(""), "", null, encoding.include(),
                clock.instant(), first && !bookmark);
            first = first && bookmark;
          } else if (encoding.format() == OutputFormat.PARTIAL_METADATA && !e.type().equals("ERROR")) {
            object = TableConvertor.partialMetadata(object);
          }
          ObjectNode frame = Json.object().put("type", e.type());
          frame.set("object", object);
          sink.send(Json.write(frame));
        }
        if (!events.isEmpty()) {
          sink.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    active.forEach(ResourceWatch::close);
    connections.close();
  }
}
