package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.cache.CacheWatcher;
import dev.skiff.apiserver.registry.cache.CachedEvent;
import dev.skiff.apiserver.registry.cache.WatchCache;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
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
  /** The store's watch, when the watch reads the store; else null. */
  private final Watch watch;
  /** The watch cache's watcher, when the watch is served from the cache; else null. */
  private final CacheWatcher cached;
  private final long startRevision;
  private volatile boolean done;
  /** How long a watch waits for the cache to catch up before it watches the store instead. */
  private static final Duration CACHE_WAIT = Duration.ofSeconds(3);

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
    Bytes prefix = resource.codec().prefix(namespace.isEmpty()
        ? options.fieldSelector().requiredValue("metadata.namespace").orElse("") : namespace);
    WatchCache cache = resource.watchCache().orElse(null);
    WatchCache.Registration registration = cache == null ? null : register(cache, prefix, rv, initial);
    long start;
    if (registration != null) {
      this.cached = registration.watcher();
      this.watch = null;
      if (registration.initial() != null) {
        ObjectCodec codec = resource.codec();
        for (KeyValue kv : registration.initial().items()) {
          ObjectNode o = codec.decode(kv);
          if (filter.matches(o)) {
            pending.add(new WatchEvent("ADDED", o));
          }
        }
        endInitialEvents(options, registration.initial().revision());
        start = registration.initial().revision() + 1;
      } else {
        start = parseRevision(rv) + 1;
      }
      this.startRevision = start;
      return;
    }
    this.cached = null;
    if (initial) {
      ListResult current = new ResourceLister(resource).list(namespace, new ListOptions(
          options.labelSelector(), options.fieldSelector(), 0, "", "", "", false, null, options.timeout()));
      current.items().forEach(o -> pending.add(new WatchEvent("ADDED", o)));
      endInitialEvents(options, current.revision());
      start = current.revision() + 1;
    } else {
      start = parseRevision(rv) + 1;
    }
    this.startRevision = start;
    this.watch = resource.store().watch(new WatchRequest(prefix, prefix.prefixEnd(), start, true,
        bookmarks ? progressInterval : Duration.ZERO, WatchRequest.DEFAULT_MAX_PENDING_EVENTS));
  }

  /**
   * Registers with the cache: from its current state (after waiting for it to catch up with the
   * store for a consistent start), or from a revision. Null when the store must serve instead.
   */
  private WatchCache.Registration register(WatchCache cache, Bytes prefix, String rv, boolean initial) {
    try {
      if (initial) {
        long wanted = rv.isEmpty() ? resource.store().currentRevision() : rv.equals("0") ? 0 : parseRevision(rv);
        if (!cache.awaitRevision(wanted, CACHE_WAIT)) {
          return null;
        }
        return cache.watch(prefix, -1, bookmarks);
      }
      return cache.watch(prefix, parseRevision(rv), bookmarks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StatusError.internal("interrupted while starting a watch");
    }
  }

  private static long parseRevision(String rv) {
    try {
      long n = Long.parseLong(rv);
      if (n < 0) {
        throw new NumberFormatException(rv);
      }
      return n;
    } catch (NumberFormatException e) {
      throw StatusError.badRequest("invalid resource version: " + rv);
    }
  }

  /** With sendInitialEvents=true and bookmarks, a bookmark marks the end of the initial state. */
  private void endInitialEvents(ListOptions options, long revision) {
    if (Boolean.TRUE.equals(options.sendInitialEvents()) && bookmarks) {
      ObjectNode b = bookmark(revision);
      ObjectMeta.of(b).putObject("annotations").put("k8s.io/initial-events-end", "true");
      pending.add(new WatchEvent("BOOKMARK", b));
    }
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
    if (cached != null) {
      pollCache(timeout, out);
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

  private void pollCache(Duration timeout, List<WatchEvent> out) throws InterruptedException {
    for (CacheWatcher.Item item : cached.poll(timeout)) {
      switch (item) {
        case CacheWatcher.Change c -> translate(c.event(), out);
        case CacheWatcher.Progress p -> {
          if (bookmarks) {
            out.add(new WatchEvent("BOOKMARK", bookmark(p.revision())));
          }
        }
        case CacheWatcher.Ended ended -> {
          done = true;
          if (ended.tooOld()) {
            out.add(new WatchEvent("ERROR", StatusError.expired(
                "too old resource version: %d (%d)".formatted(startRevision - 1, ended.oldestRevision())).toStatus()));
          }
        }
      }
    }
  }

  /** As {@link #translate(Event, List)} for a change from the cache: decoded and encoded once for all watches. */
  private void translate(CachedEvent e, List<WatchEvent> out) {
    ObjectNode old = e.old();
    boolean oldMatches = old != null && filter.matches(old);
    String type = null;
    if (e.isDelete()) {
      type = oldMatches ? "DELETED" : null;
    } else {
      boolean nowMatches = filter.matches(e.now());
      if (nowMatches) {
        type = oldMatches ? "MODIFIED" : "ADDED";
      } else if (oldMatches) {
        type = "DELETED";
      }
    }
    if (type != null) {
      String t = type;
      out.add(new WatchEvent(t, e.objectFor(t), () -> e.jsonFrame(t)));
    }
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
    if (watch != null) {
      watch.close();
    }
    if (cached != null) {
      cached.close();
    }
  }
}
