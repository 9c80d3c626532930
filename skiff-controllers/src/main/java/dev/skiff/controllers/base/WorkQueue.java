package dev.skiff.controllers.base;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rate-limited work queue of keys with upstream's client-go semantics: a key queued twice is
 * queued once (dirty set); a key being processed is not handed to a second worker, and if it
 * was added meanwhile it is queued again when the worker calls {@link #done}; delayed adds
 * wait in a heap ordered by due time; {@link #addRateLimited} delays by the per-item back-off.
 *
 * <p>Thread-safe. Time comes from the injected {@link InstantSource}, so tests can drive delays
 * with {@link #poll()}; blocking {@link #take()} waits on the real clock for the next due item.
 */
public final class WorkQueue<T> implements AutoCloseable {
  private record Delayed<T>(T item, Instant due, long seq) {}

  private final InstantSource clock;
  private final ItemExponentialBackoff backoff;
  /** Guards every field below. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  private final PriorityQueue<Delayed<T>> delayed = new PriorityQueue<>(
      (a, b) -> a.due().equals(b.due()) ? Long.compare(a.seq(), b.seq()) : a.due().compareTo(b.due()));
  private long seq;
  private boolean shutDown;

  public WorkQueue(InstantSource clock, ItemExponentialBackoff backoff) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** Queues {@code item} now, unless it is already queued. */
  public void add(T item) {
    lock.lock();
    try {
      addLocked(item);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(T item) {
    if (shutDown || !dirty.add(item)) {
      return;
    }
    if (!processing.contains(item)) {
      queue.addLast(item);
      changed.signal();
    }
  }

  /** Queues {@code item} once {@code delay} has passed (at once when it is zero or negative). */
  public void addAfter(T item, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(item);
      return;
    }
    lock.lock();
    try {
      if (shutDown) {
        return;
      }
      delayed.add(new Delayed<>(item, clock.instant().plus(delay), seq++));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code item} after its back-off, which doubles with each call until {@link #forget}. */
  public void addRateLimited(T item) {
    addAfter(item, backoff.when(item));
  }

  /** Resets {@code item}'s back-off, after a successful reconcile. */
  public void forget(T item) {
    backoff.forget(item);
  }

  /** How many times {@code item} has been re-queued with back-off since its last success. */
  public int retries(T item) {
    return backoff.retries(item);
  }

  /** The next ready item without waiting, moving due delayed items first; the caller must call {@link #done}. */
  public Optional<T> poll() {
    lock.lock();
    try {
      promoteDue();
      return Optional.ofNullable(next());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the next item; empty once the queue is shut down. The caller must call
   * {@link #done} with the item when it finishes.
   */
  public Optional<T> take() throws InterruptedException {
    lock.lock();
    try {
      while (!shutDown) {
        promoteDue();
        T item = next();
        if (item != null) {
          return Optional.of(item);
        }
        Delayed<T> head = delayed.peek();
        if (head == null) {
          changed.await();
        } else {
          long waitMillis = Math.max(1, Duration.between(clock.instant(), head.due()).toMillis());
          changed.await(waitMillis, TimeUnit.MILLISECONDS);
        }
      }
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  private void promoteDue() {
    Instant now = clock.instant();
    while (!delayed.isEmpty() && !delayed.peek().due().isAfter(now)) {
      addLocked(delayed.poll().item());
    }
  }

  private T next() {
    T item = queue.pollFirst();
    if (item != null) {
      dirty.remove(item);
      processing.add(item);
    }
    return item;
  }

  /** Marks {@code item} processed; if it was added while being processed it is queued again. */
  public void done(T item) {
    lock.lock();
    try {
      processing.remove(item);
      if (dirty.contains(item)) {
        queue.addLast(item);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Items ready now (not counting delayed ones). */
  public int length() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Stops handing out items; waiting workers return empty. */
  @Override
  public void close() {
    lock.lock();
    try {
      shutDown = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
