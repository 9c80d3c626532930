package dev.skiff.apiserver.registry.cache;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change of a resource, as the watch cache keeps it in its event window: the stored bytes,
 * decoded and encoded at most once however many watchers receive it.
 *
 * <p>The decoded objects and encoded frames are shared between watchers: callers must not modify
 * them. Thread-safe: memoized values are computed at most a few times under a race, never wrong.
 */
public final class CachedEvent {
  private final ObjectCodec codec;
  private final Event.Type type;
  private final KeyValue kv;
  private final KeyValue prev;
  private volatile ObjectNode now;
  private volatile ObjectNode old;
  private volatile ObjectNode deleted;
  private final byte[][] frames = new byte[3][];
  /** Set once the event is no longer among the newest: trees decoded from then on are not kept. */
  private volatile boolean released;

  CachedEvent(ObjectCodec codec, Event event) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.type = event.type();
    this.kv = event.kv();
    this.prev = event.prev().orElse(null);
  }

  public boolean isDelete() {
    return type == Event.Type.DELETE;
  }

  public long revision() {
    return kv.modRevision();
  }

  public KeyValue kv() {
    return kv;
  }

  /** The object after a put; null after a delete. */
  public ObjectNode now() {
    ObjectNode n = now;
    if (n == null && !isDelete()) {
      n = codec.decode(kv);
      if (!released) {
        now = n;
      }
    }
    return n;
  }

  /** The object before the change, with its own resourceVersion; null after a create. */
  public ObjectNode old() {
    ObjectNode o = old;
    if (o == null && prev != null) {
      o = codec.decode(prev);
      if (!released) {
        old = o;
      }
    }
    return o;
  }

  /** The previous object as a DELETED event carries it: resourceVersion set to this change's revision. */
  public ObjectNode deletedObject() {
    ObjectNode d = deleted;
    if (d == null && prev != null) {
      d = codec.decode(prev);
      ObjectMeta.of(d).put("resourceVersion", Long.toString(revision()));
      if (!released) {
        deleted = d;
      }
    }
    return d;
  }

  /** The object an event of {@code watchType} carries. */
  public ObjectNode objectFor(String watchType) {
    return watchType.equals("DELETED") ? deletedObject() : now();
  }

  /**
   * Drops the decoded trees (the stored bytes and encoded frames stay): the window keeps trees only
   * for its newest events, which nearly every watcher translates right after dispatch. A watcher
   * far behind decodes an older event again for itself (for its selectors, per watcher: so the
   * newest 256 keep them, about 13 s of 20 writes/s). Keeping trees for all 1,000 events of a
   * window cost tens of MiB per busy resource.
   */
  void releaseTrees() {
    released = true;
    now = null;
    old = null;
    deleted = null;
  }

  /** The JSON frame {@code {"type":..,"object":..}} of an event of {@code watchType}, encoded once. */
  public byte[] jsonFrame(String watchType) {
    int slot = switch (watchType) {
      case "ADDED" -> 0;
      case "MODIFIED" -> 1;
      default -> 2;
    };
    byte[] f = frames[slot];
    if (f == null) {
      ObjectNode frame = Json.object().put("type", watchType);
      frame.set("object", objectFor(watchType));
      f = Json.write(frame);
      synchronized (frames) {
        frames[slot] = f;
      }
    }
    return f;
  }
}
