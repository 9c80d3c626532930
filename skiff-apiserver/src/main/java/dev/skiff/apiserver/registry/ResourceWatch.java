package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One API watch on one resource: turns the store's key events into ADDED/MODIFIED/DELETED events
 * filtered by the selectors (an object that stops matching is DELETED, one that starts matching is
 * ADDED, as upstream's cacher does), progress into BOOKMARKs, and a compacted start into an ERROR
 * event with a 410 Expired status.
 *
 * <p>With resourceVersion "" or "0" the watch first replays the current state as ADDED events.
 * One reader thread calls {@link #poll}; {@link #close} may come from any thread.
 */
public final class ResourceWatch implements AutoCloseable {
  private final GenericStore resource;
  private final ObjectFilter filter;
  private final boolean bookmarks;
  private final Deque<WatchEvent> pending = new ArrayDeque<>();
  private final Watch watch;
  private final long startRevision;
  private volatile boolean done;

  /**
   * Starts the watch.
   *
   * @param progressInterval how often an idle watch gets a bookmark (when bookmarks are allowed)
   */
  public ResourceWatch(GenericStore resource, String namespace, ListOptions options, Duration progressInterval) {
    this.resource = Objects.requireNonNull(resource, "resource");
    this.filter = ObjectFilter.of(options, resource.strategy());
    this.bookmarks = options.allowWatchBookmarks();
    String rv = options.resourceVersion();
    boolean initial = options.sendInitialEvents() != null ? options.sendInitialEvents() : rv.isEmpty() || rv.equals("0");
    long start;
    if (initial) {
      ListResult current = new ResourceLister(resource).list(namespace, new ListOptions(
          options.labelSelector(), options.fieldSelector(), 0, "", "", "", false, null, options.timeout()));
      current.items().forEach(o -> pending.add(new WatchEvent("ADDED", o)));
      if (Boolean.TRUE.equals(options.sendInitialEvents()) && bookmarks) {
        ObjectNode b = bookmark(current.revision());
        ObjectMeta.of(b).putObject("annotations").put("k8s.io/initial-events-end", "true");
        pending.add(new WatchEvent("BOOKMARK", b));
      }
      start = current.revision() + 1;
    } else {
      try {
        start = Long.parseLong(rv) + 1;
      } catch (NumberFormatException e) {
        throw StatusError.badRequest("invalid resource version: " + rv);
      }
    }
    this.startRevision = start;
    Bytes prefix = resource.codec().prefix(namespace.isEmpty()
        ? options.fieldSelector().requiredValue("metadata.namespace").orElse("") : namespace);
    this.watch = resource.store().watch(new WatchRequest(prefix, prefix.prefixEnd(), start, true,
        bookmarks ? progressInterval : Duration.ZERO, WatchRequest.DEFAULT_MAX_PENDING_EVENTS));
  }

  /** Whether the watch has ended; nothing more will come. */
  public boolean isDone() {
    return done && pending.isEmpty();
  }

  /** The next events, waiting up to {@code timeout}; empty when none came. */
  public List<WatchEvent> poll(Duration timeout) throws InterruptedException {
    List<WatchEvent> out = new ArrayList<>();
    if (!pending.isEmpty()) {
      out.addAll(pending);
      pending.clear();
      return out;
    }
    if (done) {
      return out;
    }
    WatchResponse r = watch.poll(timeout);
    switch (r) {
      case null -> {}
      case WatchResponse.Events events -> {
        for (Event e : events.events()) {
          translate(e, out);
        }
      }
      case WatchResponse.Progress p -> {
        if (bookmarks) {
          out.add(new WatchEvent("BOOKMARK", bookmark(p.revision())));
        }
      }
      case WatchResponse.Ended ended -> {
        done = true;
        if (ended.reason() == WatchResponse.Reason.COMPACTED) {
          out.add(new WatchEvent("ERROR", StatusError.expired(
              "too old resource version: %d (%d)".formatted(startRevision - 1, ended.compactRevision())).toStatus()));
        }
      }
    }
    return out;
  }

  private void translate(Event e, List<WatchEvent> out) {
    ObjectCodec codec = resource.codec();
    ObjectNode old = e.prev().map(codec::decode).orElse(null);
    boolean oldMatches = old != null && filter.matches(old);
    if (e.type() == Event.Type.DELETE) {
      if (oldMatches) {
        ObjectMeta.of(old).put("resourceVersion", Long.toString(e.revision()));
        out.add(new WatchEvent("DELETED", old));
      }
      return;
    }
    ObjectNode now = codec.decode(e.kv());
    boolean nowMatches = filter.matches(now);
    if (nowMatches && oldMatches) {
      out.add(new WatchEvent("MODIFIED", now));
    } else if (nowMatches) {
      out.add(new WatchEvent("ADDED", now));
    } else if (oldMatches) {
      ObjectMeta.of(old).put("resourceVersion", Long.toString(e.revision()));
      out.add(new WatchEvent("DELETED", old));
    }
  }

  private ObjectNode bookmark(long revision) {
    ObjectNode b = Json.object().put("kind", resource.definition().kind())
        .put("apiVersion", resource.definition().apiVersion());
    b.putObject("metadata").put("resourceVersion", Long.toString(revision));
    return b;
  }

  @Override
  public void close() {
    done = true;
    watch.close();
  }
}
