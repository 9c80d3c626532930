package dev.skiff.storage.etcd;

import dev.skiff.storage.Event;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Watch} on etcd: a jetcd watcher (its own gRPC stream) feeding a bounded queue.
 *
 * <p><b>Threads.</b> jetcd calls the listener methods on its event-loop thread; they only
 * translate, enqueue and signal, and never block: a full queue ends the watch with
 * {@link WatchResponse.Reason#OVERFLOW} and the etcd watcher is cancelled from a virtual thread.
 * The jetcd watcher is never closed while this watch's lock is held, because jetcd calls back
 * into the listener under its own lock.
 *
 * <p><b>Endings.</b> A start revision below the compact revision makes etcd cancel the watch
 * with the compact revision: the first response is {@code Ended(COMPACTED)}. Any other stream
 * failure (a member crashed, the connection broke) is {@code Ended(FAILED)}; jetcd's own silent
 * re-watching is suppressed, because it resumes after the last progress notification and could
 * skip events on etcd 3.4 (see below). A FAILED watch still hands over the events that arrived
 * before the failure, then the end, so the reader can watch again after the last one; every
 * other ending drops what the reader has not taken yet (after CLOSED the reader wants nothing,
 * after OVERFLOW and COMPACTED it lists again).
 *
 * <p><b>Progress.</b> {@link #requestProgress()} sends etcd's RequestProgress on this watch's
 * stream. etcd 3.4.23 answers it on a control channel with its current revision, without waiting
 * for events still queued for (or not yet replayed to) this watcher, so its answer may claim
 * more than was delivered. This watch therefore keeps {@code delivered}, the revision up to which
 * every change was queued for the reader, and forwards etcd's revision R only when it can show
 * there was nothing to deliver in {@code (delivered, R]}, by a {@link QuietRangeCheck} (counts
 * of the range at both ends; its one blind spot, a key created and deleted inside the window,
 * is the residual risk). Otherwise the progress request is repeated shortly (the missing events are
 * in flight), and after {@value #MAX_PROGRESS_RETRIES} tries the watch reports
 * {@code Progress(delivered)}, which is always true. The periodic {@code progressInterval} asks
 * etcd for progress on the store's shared scheduler when the watch has queued nothing for that
 * long.
 */
final class EtcdWatch implements Watch, io.etcd.jetcd.Watch.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
  static final int MAX_PROGRESS_RETRIES = 100;
  private static final Duration PROGRESS_RETRY_DELAY = Duration.ofMillis(20);

  private final WatchRequest request;
  private final EtcdStore store;
  private final ScheduledExecutorService scheduler;
  private final QuietRangeCheck quietCheck;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
  private int pendingEvents;
  private WatchResponse.Ended ended;
  private io.etcd.jetcd.Watch.Watcher watcher;
  private ScheduledFuture<?> ticker;
  private boolean created;
  private boolean progressWanted;
  private int progressRetries;
  // every change up to this revision is queued for the reader (or was taken); set on creation
  private long delivered;
  private long lastQueuedNanos = System.nanoTime();

  EtcdWatch(WatchRequest request, EtcdStore store, ScheduledExecutorService scheduler) {
    this.request = request;
    this.store = store;
    this.scheduler = scheduler;
    this.quietCheck = new QuietRangeCheck(store.kv(), request);
  }

  /** Opens the etcd watch; called once, right after construction. */
  void start(io.etcd.jetcd.Watch client, WatchOption option) {
    io.etcd.jetcd.Watch.Watcher w;
    try {
      w = client.watch(EtcdCodec.watchKey(request), option, this);
    } catch (RuntimeException e) {
      end(failed("could not start the etcd watch: " + e.getMessage()));
      return;
    }
    boolean sendProgress;
    lock.lock();
    try {
      if (ended != null) {
        closeAsync(w);
        return;
      }
      watcher = w;
      Duration interval = request.progressInterval();
      if (!interval.isZero() && !scheduler.isShutdown()) {
        long nanos = interval.toNanos();
        try {
          ticker = scheduler.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          // the store is closing and will end this watch
        }
      }
      sendProgress = created && progressWanted;
      progressWanted = false;
    } finally {
      lock.unlock();
    }
    if (sendProgress) {
      sendProgressRequest();
    }
  }

  WatchRequest request() {
    return request;
  }

  @Override
  public WatchResponse poll(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        WatchResponse next = queue.poll();
        if (next != null) {
          if (next instanceof WatchResponse.Events events) {
            pendingEvents -= events.events().size();
          }
          return next;
        }
        if (ended != null) {
          return ended;
        }
        if (nanos <= 0) {
          return null;
        }
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void requestProgress() {
    lock.lock();
    try {
      if (ended != null) {
        return;
      }
      if (!created || watcher == null) {
        // etcd would drop a request sent before the watch exists; send it once created
        progressWanted = true;
        return;
      }
    } finally {
      lock.unlock();
    }
    sendProgressRequest();
  }

  @Override
  public void close() {
    end(new WatchResponse.Ended(WatchResponse.Reason.CLOSED, 0, "closed by the reader"));
  }

  // ---- jetcd listener: runs on jetcd's event loop, must not block ----

  @Override
  public void onNext(io.etcd.jetcd.watch.WatchResponse response) {
    if (response.isCreatedNotify()) {
      onCreated(response.getHeader().getRevision());
    } else if (response.isProgressNotify()) {
      onProgress(response.getHeader().getRevision());
    } else if (!response.getEvents().isEmpty()) {
      onEvents(response.getEvents().stream().map(EtcdCodec::event).toList());
    }
  }

  @Override
  public void onError(Throwable error) {
    if (error instanceof CompactedException compacted) {
      long compactRevision = compacted.getCompactedRevision();
      end(
          new WatchResponse.Ended(
              WatchResponse.Reason.COMPACTED,
              compactRevision,
              "start revision "
                  + request.startRevision()
                  + " is below the compact revision "
                  + compactRevision));
    } else {
      end(failed("the etcd watch failed: " + error.getMessage()));
    }
  }

  @Override
  public void onCompleted() {
    end(failed("etcd ended the watch stream"));
  }

  private void onCreated(long headerRevision) {
    boolean sendProgress;
    lock.lock();
    try {
      created = true;
      // from "now" the watch starts after the creation revision; a start in the future counts
      // as delivered only up to the revision that exists
      long start = request.startRevision();
      long base = start == 0 ? headerRevision : Math.min(start - 1, headerRevision);
      delivered = Math.max(delivered, base);
      sendProgress = progressWanted && watcher != null;
      if (sendProgress) {
        progressWanted = false;
      }
    } finally {
      lock.unlock();
    }
    if (sendProgress) {
      sendProgressRequest();
    }
  }

  private void onEvents(List<Event> events) {
    WatchResponse.Ended overflow = null;
    lock.lock();
    try {
      if (ended != null) {
        return;
      }
      if (pendingEvents + events.size() > request.maxPendingEvents()) {
        overflow =
            new WatchResponse.Ended(
                WatchResponse.Reason.OVERFLOW,
                0,
                "the reader fell more than " + request.maxPendingEvents() + " events behind");
      } else {
        // etcd sends all events of one revision in one response (fragmenting is off)
        queue.add(new WatchResponse.Events(events));
        pendingEvents += events.size();
        delivered = Math.max(delivered, events.getLast().revision());
        queued();
      }
    } finally {
      lock.unlock();
    }
    if (overflow != null) {
      end(overflow);
    }
  }

  private void onProgress(long revision) {
    long from;
    lock.lock();
    try {
      if (ended != null) {
        return;
      }
      if (revision <= delivered) {
        queueProgress(delivered);
        return;
      }
      from = delivered;
    } finally {
      lock.unlock();
    }
    quietCheck
        .nothingBetween(from, revision)
        .whenComplete(
            (nothing, error) -> {
              if (error != null) {
                LOG.debug("progress check for ({}, {}] failed", from, revision, error);
              }
              afterCheck(revision, Boolean.TRUE.equals(nothing));
            });
  }

  private void afterCheck(long revision, boolean nothingBetween) {
    boolean retry = false;
    lock.lock();
    try {
      if (ended != null) {
        return;
      }
      if (delivered >= revision) {
        queueProgress(delivered);
      } else if (nothingBetween) {
        delivered = revision;
        queueProgress(revision);
      } else if (++progressRetries <= MAX_PROGRESS_RETRIES) {
        retry = true;
      } else {
        queueProgress(delivered);
      }
    } finally {
      lock.unlock();
    }
    if (retry) {
      try {
        scheduler.schedule(
            this::sendProgressRequest, PROGRESS_RETRY_DELAY.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // the store closed meanwhile and is ending this watch
      }
    }
  }

  /** Runs on the shared scheduler: asks for progress when the watch has been quiet a while. */
  private void tick() {
    boolean idle;
    lock.lock();
    try {
      idle =
          ended == null
              && System.nanoTime() - lastQueuedNanos >= request.progressInterval().toNanos();
    } finally {
      lock.unlock();
    }
    if (idle) {
      requestProgress();
    }
  }

  private void sendProgressRequest() {
    io.etcd.jetcd.Watch.Watcher w;
    lock.lock();
    try {
      if (ended != null || watcher == null) {
        return;
      }
      w = watcher;
    } finally {
      lock.unlock();
    }
    try {
      w.requestProgress();
    } catch (RuntimeException e) {
      LOG.debug("progress request failed", e);
    }
  }

  // ---- queue helpers: call with the lock held ----

  private void queueProgress(long revision) {
    progressRetries = 0;
    queue.add(new WatchResponse.Progress(revision));
    queued();
  }

  private void queued() {
    lastQueuedNanos = System.nanoTime();
    changed.signalAll();
  }

  /** Ends the watch once; later calls do nothing. Safe from any thread. */
  void end(WatchResponse.Ended reason) {
    io.etcd.jetcd.Watch.Watcher w;
    ScheduledFuture<?> t;
    lock.lock();
    try {
      if (ended != null) {
        return;
      }
      ended = reason;
      // what arrived before a failure is still true: the reader may take it and resume watching
      // after it instead of listing again
      if (reason.reason() != WatchResponse.Reason.FAILED) {
        queue.clear();
        pendingEvents = 0;
      }
      w = watcher;
      t = ticker;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (t != null) {
      t.cancel(false);
    }
    store.forget(this);
    if (w != null) {
      closeAsync(w);
    }
  }

  /** jetcd's close takes jetcd's lock and calls back into the listener: never on its threads. */
  private static void closeAsync(io.etcd.jetcd.Watch.Watcher w) {
    Thread.ofVirtual().name("etcd-watch-cancel").start(w::close);
  }

  private static WatchResponse.Ended failed(String message) {
    return new WatchResponse.Ended(WatchResponse.Reason.FAILED, 0, message);
  }
}
