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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams watches to clients as newline-delimited {@code {"type":..,"object":..}} frames, one flush
 * per batch, until the watch's timeout, the client leaving, or {@link #close()} (server shutdown).
 * Thread-safe; each watch runs on its request's virtual thread.
 */
final class WatchStreamer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchStreamer.class);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final InstantSource clock;
  private final Set<ResourceWatch> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  WatchStreamer(InstantSource clock) {
    this.clock = clock;
  }

  void serve(Exchange ex, ResourceWatch watch, ResourceStrategy strategy, OutputFormat format,
      TableConvertor.IncludeObject include, Duration timeout) {
    active.add(watch);
    ex.onFailure(watch::close);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean first = true;
    try (watch; OutputStream out = ex.stream(200, format == OutputFormat.YAML ? OutputFormat.JSON.contentType() : format.contentType())) {
      out.flush();
      while (!closed && !watch.isDone() && System.nanoTime() < deadline) {
        List<WatchEvent> events = watch.poll(POLL);
        if (events.isEmpty()) {
          continue;
        }
        for (WatchEvent e : events) {
          ObjectNode object = e.object();
          if (format == OutputFormat.TABLE && !e.type().equals("ERROR")) {
            boolean bookmark = e.isBookmark();
            object = TableConvertor.table(strategy, bookmark ? List.of() : List.of(object),
                object.path("metadata").path("resourceVersion").asString(""), "", null, include, clock.instant(),
                first && !bookmark);
            first = first && bookmark;
          } else if (format == OutputFormat.PARTIAL_METADATA && !e.type().equals("ERROR")) {
            object = TableConvertor.partialMetadata(object);
          }
          ObjectNode frame = Json.object().put("type", e.type());
          frame.set("object", object);
          out.write(Json.write(frame));
          out.write('\n');
        }
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("watch stream ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      active.remove(watch);
    }
  }

  @Override
  public void close() {
    closed = true;
    active.forEach(ResourceWatch::close);
  }
}
