package dev.skiff.storage.sqlite;

import dev.skiff.storage.Event;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One watch of the {@link WatchHub}: a bounded queue of responses between the committer (and,
 * while catching up, the history replay) and one reader.
 *
 * <p>A watch starting in the past begins <em>catching up</em>: the replay feeds it history up
 * to the revision at which it was registered, while live events from the committer wait in a
 * buffer; then the buffer drains into the queue and the watch is <em>live</em>. Registration,
 * replay bound and live events are cut at one revision, so nothing is missed or repeated.
 *
 * <p>The committer never waits here: a live watch whose reader is more than
 * {@code maxPendingEvents} behind ends with OVERFLOW. The replay, reading from the database,
 * instead waits for the reader, so a slow reader of a long history is paced, not dropped.
 *
 * <p>Thread-safety: all state is guarded by {@link #lock}. Lock order: the hub's lock, then
 * this one; never the other way round.
 */
final class HubWatch implements Watch {
  private final WatchRequest request;
  private final long startRevision;
  /** Takes this watch out of the hub's list. */
  private final Consumer<HubWatch> leaveHub;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
  private int pendingEvents;
  private WatchResponse.Ended ended;
  private boolean live;
  private List<Event> liveBuffer = new ArrayList<>();
  /** Every event up to this revision that this watch covers has been queued or buffered. */
  private long seenRevision;
  private boolean progressWanted;
  private long lastQueuedNanos = System.nanoTime();
  /** What to undo once the watch is over (its progress timer task); run once. */
  private final List<Runnable> endHooks = new ArrayList<>();
  private boolean hooksRan;

  /**
   * @param startRevision the first revision to deliver
   * @param registeredAt the hub's revision at registration: live events come after it
   * @param live whether there is no history to replay
   */
  HubWatch(
      WatchRequest request,
      long startRevision,
      long registeredAt,
      boolean live,
      Consumer<HubWatch> leaveHub) {
    this.request = request;
    this.startRevision = startRevision;
    this.seenRevision = registeredAt;
    this.live = live;
    this.leaveHub = leaveHub;
  }

  WatchRequest request() {
    return request;
  }

  /** A watch that is over before it began (for example, its start was compacted). */
  static HubWatch ended(WatchRequest request, WatchResponse.Ended why) {
    HubWatch w = new HubWatch(request, 0, 0, true, ignored -> {});
    w.ended = why;
    w.hooksRan = true;
    return w;
  }

  /** The events of {@code events} this watch covers, shaped as it asked; maybe none. */
  List<Event> select(List<Event> events) {
    List<Event> mine = null;
    for (Event e : events) {
      if (e.revision() >= startRevision && request.contains(e.kv().key())) {
        if (mine == null) {
          mine = new ArrayList<>();
        }
        mine.add(request.prevKv() ? e : new Event(e.type(), e.kv(), Optional.empty()));
      }
    }
    return mine == null ? List.of() : mine;
  }

  /**
   * From the committer: the events of a committed batch up to {@code revision}. Never blocks.
   *
   * @return false when the watch is over and should leave the hub
   */
  boolean offerLive(List<Event> events, long revision) {
    List<Event> mine = select(events);
    lock.lock();
    try {
      if (ended != null) {
        return false;
      }
      seenRevision = revision;
      if (mine.isEmpty()) {
        return true;
      }
      if (!live) {
        liveBuffer.addAll(mine);
        if (liveBuffer.size() > request.maxPendingEvents()) {
          endLocked(overflow());
          return false;
        }
        return true;
      }
      if (pendingEvents + mine.size() > request.maxPendingEvents()) {
        endLocked(overflow());
        return false;
      }
      enqueueLocked(new WatchResponse.Events(mine));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * From the replay: history events in revision order, waiting for the reader to make room.
   *
   * @return false when the watch ended meanwhile
   */
  boolean offerHistory(List<Event> events) throws InterruptedException {
    lock.lock();
    try {
      return moveLocked(new ArrayList<>(events));
    } finally {
      lock.unlock();
    }
  }

  /** From the replay, after the last history event: drains the live buffer and goes live. */
  void finishCatchUp() throws InterruptedException {
    lock.lock();
    try {
      if (ended != null || !moveLocked(liveBuffer)) {
        return;
      }
      live = true;
      liveBuffer = null;
      if (progressWanted) {
        progressWanted = false;
        enqueueLocked(new WatchResponse.Progress(seenRevision));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Moves {@code events} into the queue as room appears; false if the watch ended. */
  private boolean moveLocked(List<Event> events) throws InterruptedException {
    int from = 0;
    while (from < events.size()) {
      if (ended != null) {
        return false;
      }
      int room = request.maxPendingEvents() - pendingEvents;
      if (room <= 0) {
        changed.await();
        continue;
      }
      int to = Math.min(events.size(), from + room);
      enqueueLocked(new WatchResponse.Events(events.subList(from, to)));
      from = to;
    }
    events.clear();
    return ended == null;
  }

  @Override
  public WatchResponse poll(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (ended != null) {
          return ended;
        }
        if (nanos <= 0) {
          return null;
        }
        nanos = changed.awaitNanos(nanos);
      }
      WatchResponse next = queue.poll();
      if (next instanceof WatchResponse.Events e) {
        pendingEvents -= e.events().size();
        changed.signalAll(); // the replay may wait for room
      }
      return next;
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
      if (live) {
        enqueueLocked(new WatchResponse.Progress(seenRevision));
      } else {
        progressWanted = true; // answered when the catch-up is done
      }
    } finally {
      lock.unlock();
    }
  }

  /** From the hub's timer: a progress notice if nothing was queued for about an interval. */
  void tick(long intervalNanos) {
    lock.lock();
    try {
      if (ended == null
          && live
          && queue.isEmpty()
          && System.nanoTime() - lastQueuedNanos >= intervalNanos / 2) {
        enqueueLocked(new WatchResponse.Progress(seenRevision));
      }
    } finally {
      lock.unlock();
    }
  }

  private void enqueueLocked(WatchResponse response) {
    queue.add(response);
    if (response instanceof WatchResponse.Events e) {
      pendingEvents += e.events().size();
    }
    lastQueuedNanos = System.nanoTime();
    changed.signalAll();
  }

  private WatchResponse.Ended overflow() {
    return new WatchResponse.Ended(
        WatchResponse.Reason.OVERFLOW,
        0,
        "the reader fell more than " + request.maxPendingEvents() + " events behind");
  }

  /**
   * Ends the watch. After FAILED (the store closed) the reader still gets what was queued, as
   * the etcd store does: it is true, and the reader may resume after it. Every other ending
   * drops it: after CLOSED the reader wants nothing, after OVERFLOW or COMPACTED it lists again.
   */
  void end(WatchResponse.Ended why) {
    lock.lock();
    try {
      endLocked(why);
    } finally {
      lock.unlock();
    }
  }

  private void endLocked(WatchResponse.Ended why) {
    if (ended != null) {
      return;
    }
    ended = why;
    if (why.reason() != WatchResponse.Reason.FAILED) {
      queue.clear();
      pendingEvents = 0;
    }
    liveBuffer = null; // events after a gap in the replay: never delivered
    changed.signalAll();
  }

  boolean isEnded() {
    lock.lock();
    try {
      return ended != null;
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code hook} once the watch has ended and left the hub (at once if it already did). */
  void onEnd(Runnable hook) {
    lock.lock();
    try {
      if (!hooksRan) {
        endHooks.add(hook);
        return;
      }
    } finally {
      lock.unlock();
    }
    hook.run();
  }

  /** Called by the hub once the watch has left it. */
  void runEndHooks() {
    List<Runnable> hooks;
    lock.lock();
    try {
      if (hooksRan) {
        return;
      }
      hooksRan = true;
      hooks = List.copyOf(endHooks);
      endHooks.clear();
    } finally {
      lock.unlock();
    }
    hooks.forEach(Runnable::run);
  }

  /** Ends the watch from outside the committer (reader, replay): it also leaves the hub. */
  void endAndLeave(WatchResponse.Ended why) {
    end(why);
    leaveHub.accept(this);
    runEndHooks();
  }

  @Override
  public void close() {
    endAndLeave(new WatchResponse.Ended(WatchResponse.Reason.CLOSED, 0, "closed by the reader"));
  }
}
