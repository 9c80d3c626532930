package dev.skiff.apiserver.testing;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.Event;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import dev.skiff.storage.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small in-memory {@link Store} for unit tests: full history kept in a list of events, one lock,
 * watches fed through queues. Not for integration tests, which use the real SQLite store.
 */
public final class MemoryStore implements Store {
  private final Object lock = new Object();
  /** Every event in revision order; events.get(i) has revision i + 2. */
  private final List<Event> history = new ArrayList<>();
  private final TreeMap<Bytes, KeyValue> current = new TreeMap<>();
  private final Set<MemoryWatch> watches = ConcurrentHashMap.newKeySet();
  private long revision = 1;
  private long compacted = 0;
  private boolean closed;

  @Override
  public RangeResult range(RangeRequest r) {
    synchronized (lock) {
      check();
      long at = r.revision() == 0 ? revision : r.revision();
      if (at > revision) {
        throw new FutureRevisionException(at, revision);
      }
      if (at < compacted) {
        throw new CompactedException(at, compacted);
      }
      Map<Bytes, KeyValue> view = at == revision ? current : stateAt(at);
      List<KeyValue> all = new ArrayList<>();
      for (KeyValue kv : view.values()) {
        if (r.contains(kv.key())) {
          all.add(kv);
        }
      }
      all.sort((a, b) -> a.key().compareTo(b.key()));
      int n = r.limit() == 0 ? all.size() : Math.min(r.limit(), all.size());
      return new RangeResult(r.countOnly() ? List.of() : all.subList(0, n), at, n < all.size(), all.size());
    }
  }

  private Map<Bytes, KeyValue> stateAt(long at) {
    TreeMap<Bytes, KeyValue> s = new TreeMap<>();
    for (Event e : history) {
      if (e.revision() > at) {
        break;
      }
      if (e.type() == Event.Type.PUT) {
        s.put(e.kv().key(), e.kv());
      } else {
        s.remove(e.kv().key());
      }
    }
    return s;
  }

  @Override
  public WriteResult create(Bytes key, Bytes value) {
    Store.checkWrite(key, value);
    synchronized (lock) {
      check();
      KeyValue old = current.get(key);
      if (old != null) {
        return new WriteResult.AlreadyExists(revision, old);
      }
      long rev = ++revision;
      KeyValue kv = new KeyValue(key, value, rev, rev, 1);
      apply(new Event(Event.Type.PUT, kv, Optional.empty()));
      return new WriteResult.Written(rev, kv, Optional.empty());
    }
  }

  @Override
  public WriteResult update(Bytes key, Bytes value, long expected) {
    Store.checkWrite(key, value);
    synchronized (lock) {
      check();
      KeyValue old = current.get(key);
      if (old == null) {
        return new WriteResult.NotFound(revision);
      }
      if (old.modRevision() != expected) {
        return new WriteResult.RevisionMismatch(revision, old);
      }
      long rev = ++revision;
      KeyValue kv = new KeyValue(key, value, old.createRevision(), rev, old.version() + 1);
      apply(new Event(Event.Type.PUT, kv, Optional.of(old)));
      return new WriteResult.Written(rev, kv, Optional.of(old));
    }
  }

  @Override
  public WriteResult delete(Bytes key, long expected) {
    synchronized (lock) {
      check();
      KeyValue old = current.get(key);
      if (old == null) {
        return new WriteResult.NotFound(revision);
      }
      if (old.modRevision() != expected) {
        return new WriteResult.RevisionMismatch(revision, old);
      }
      long rev = ++revision;
      KeyValue kv = new KeyValue(key, Bytes.EMPTY, 0, rev, 0);
      apply(new Event(Event.Type.DELETE, kv, Optional.of(old)));
      return new WriteResult.Written(rev, kv, Optional.of(old));
    }
  }

  private void apply(Event e) {
    history.add(e);
    if (e.type() == Event.Type.PUT) {
      current.put(e.kv().key(), e.kv());
    } else {
      current.remove(e.kv().key());
    }
    for (MemoryWatch w : watches) {
      w.offer(e);
    }
  }

  @Override
  public Watch watch(WatchRequest request) {
    synchronized (lock) {
      check();
      MemoryWatch w = new MemoryWatch(request);
      if (request.startRevision() != 0 && request.startRevision() < compacted) {
        w.queue.add(new WatchResponse.Ended(WatchResponse.Reason.COMPACTED, compacted, "compacted"));
        return w;
      }
      for (Event e : history) {
        if (request.startRevision() != 0 && e.revision() >= request.startRevision()) {
          w.offer(e);
        }
      }
      watches.add(w);
      return w;
    }
  }

  @Override
  public long currentRevision() {
    synchronized (lock) {
      return revision;
    }
  }

  @Override
  public void compact(long rev) {
    synchronized (lock) {
      if (rev > revision) {
        throw new FutureRevisionException(rev, revision);
      }
      compacted = Math.max(compacted, rev);
    }
  }

  private void check() {
    if (closed) {
      throw new StoreException("closed");
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    for (MemoryWatch w : watches) {
      w.end(WatchResponse.Reason.FAILED);
    }
  }

  private final class MemoryWatch implements Watch {
    final WatchRequest request;
    final LinkedBlockingQueue<WatchResponse> queue = new LinkedBlockingQueue<>();
    volatile WatchResponse.Ended ended;
    volatile long lastRevision;

    MemoryWatch(WatchRequest request) {
      this.request = request;
    }

    void offer(Event e) {
      if (ended == null && request.contains(e.kv().key())) {
        Event out = request.prevKv() ? e : new Event(e.type(), e.kv(), Optional.empty());
        queue.add(new WatchResponse.Events(List.of(out)));
      }
    }

    void end(WatchResponse.Reason reason) {
      if (ended == null) {
        ended = new WatchResponse.Ended(reason, 0, reason.name());
        queue.add(ended);
      }
    }

    @Override
    public WatchResponse poll(Duration timeout) throws InterruptedException {
      Duration wait = timeout;
      if (!request.progressInterval().isZero() && request.progressInterval().compareTo(wait) < 0) {
        wait = request.progressInterval();
      }
      WatchResponse r = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
      if (r == null && !request.progressInterval().isZero() && ended == null) {
        return new WatchResponse.Progress(currentRevision());
      }
      if (r instanceof WatchResponse.Ended e) {
        queue.add(e);
      }
      return r;
    }

    @Override
    public void requestProgress() {
      queue.add(new WatchResponse.Progress(currentRevision()));
    }

    @Override
    public void close() {
      watches.remove(this);
      end(WatchResponse.Reason.CLOSED);
    }
  }
}
