package dev.skiff.storage.sqlite;

import dev.skiff.storage.Event;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves watches from the write path: the committer hands every committed batch to
 * {@link #publish}, which offers it to each registered watch without ever blocking. A watch from
 * a past revision is registered first (so it buffers live events) and then replays history from
 * the database up to its registration revision.
 *
 * <p>Periodic progress runs on one shared timer thread, one task per watch that asked for it.
 *
 * <p>Lock order: {@link #lock}, then a watch's own lock.
 */
final class WatchHub implements AutoCloseable {
  private final ReaderPool pool;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final List<HubWatch> watches = new ArrayList<>();
  /** The revision of the last published batch; guarded by {@link #lock}. */
  private long revision;
  private boolean closed;
  private final ScheduledThreadPoolExecutor timer;

  WatchHub(ReaderPool pool, long revision) {
    this.pool = pool;
    this.revision = revision;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("skiff-watch-progress").daemon().factory());
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts a watch.
   *
   * @param compactRevision the store's compact revision now
   */
  Watch watch(WatchRequest request, long compactRevision) {
    long start = request.startRevision();
    if (start != 0 && start < compactRevision) {
      return HubWatch.ended(
          request,
          new WatchResponse.Ended(
              WatchResponse.Reason.COMPACTED,
              compactRevision,
              "revision " + start + " has been compacted; the oldest is " + compactRevision));
    }
    HubWatch watch;
    long registeredAt;
    synchronized (lock) {
      if (closed) {
        return HubWatch.ended(
            request, new WatchResponse.Ended(WatchResponse.Reason.FAILED, 0, "store is closed"));
      }
      registeredAt = revision;
      boolean replay = start != 0 && start <= registeredAt;
      watch =
          new HubWatch(
              request, start == 0 ? registeredAt + 1 : start, registeredAt, !replay, this::remove);
      watches.add(watch);
    }
    if (start != 0 && start <= registeredAt) {
      Thread.ofVirtual()
          .name("skiff-watch-replay")
          .start(new HistoryReplay(pool, watch, start, registeredAt));
    }
    if (request.progressInterval().isPositive()) {
      long interval = request.progressInterval().toNanos();
      ScheduledFuture<?> task =
          timer.scheduleAtFixedRate(
              () -> watch.tick(interval), interval, interval, TimeUnit.NANOSECONDS);
      watch.onEnd(() -> task.cancel(false));
    }
    return watch;
  }

  /** From the committer, after a commit: the batch's events, up to {@code newRevision}. */
  void publish(List<Event> events, long newRevision) {
    synchronized (lock) {
      revision = newRevision;
      List<HubWatch> over = null;
      for (HubWatch w : watches) {
        if (!w.offerLive(events, newRevision)) {
          if (over == null) {
            over = new ArrayList<>();
          }
          over.add(w);
        }
      }
      if (over != null) {
        watches.removeAll(over);
        over.forEach(HubWatch::runEndHooks);
      }
    }
  }

  private void remove(HubWatch watch) {
    synchronized (lock) {
      watches.remove(watch);
    }
  }

  /** Ends every watch with FAILED and stops the timer. */
  @Override
  public void close() {
    List<HubWatch> all;
    synchronized (lock) {
      closed = true;
      all = new ArrayList<>(watches);
      watches.clear();
    }
    for (HubWatch w : all) {
      w.end(new WatchResponse.Ended(WatchResponse.Reason.FAILED, 0, "the store was closed"));
      w.runEndHooks();
    }
    timer.shutdownNow();
  }
}
