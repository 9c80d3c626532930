package dev.skiff.apiserver.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;

/**
 * Gathers the watch-stream writes of one HTTP/2 connection, so that Jetty sends the frames of many
 * streams in one TLS record and one socket write instead of one each.
 *
 * <p>Why: Jetty's HTTP/2 flusher runs on the thread that writes and sends at once whatever is
 * queued; only a frame queued while it is busy joins its next socket write. A cache event wakes
 * every watch of a connection within milliseconds, but each watch's thread wrote on its own and
 * found the flusher idle: one DATA frame, TLS record and {@code write(2)} per watcher per event on
 * the server, one read, decryption and wake-up per frame on the client.
 *
 * <p>How: {@link #sink} wraps a stream's response; its writes queue here, and the first one queued
 * while no drain is pending starts a drain on {@code drains} (a new virtual thread). The drain
 * lingers while the event's other watch threads add their writes: until every watch on the
 * connection has one queued, or none came for {@code quiet}, or {@code maxLinger} has passed, or
 * the queue is large enough for a write of its own. It then hands Jetty the batch's first write,
 * and the rest from that write's completion callback, which Jetty runs inside its flusher loop
 * before it looks for more work: the rest is queued while the flusher is busy and leaves in its
 * next socket write (about two writes per batch). When the first write does not complete at once
 * (its stream's window is closed, the socket is full, another thread is flushing), the drain hands
 * over the rest itself, so a stalled stream never holds up the others. Order within a stream is
 * its writer's: a watch has at most one write in flight ({@link WatchStreamWriter}), and batches
 * keep queue order.
 *
 * <p>Thread-safe: any thread may write; callbacks run on Jetty's threads or the drain's.
 */
final class ConnectionWrites {
  /** One stream's write, waiting for the drain. */
  private record Write(Content.Sink sink, boolean last, ByteBuffer bytes, Callback done) {
    void send() {
      try {
        sink.write(last, bytes, done);
      } catch (Throwable t) {
        done.failed(t);
      }
    }
  }

  /** A drain does not linger once this many bytes wait: they make a socket write of their own. */
  static final int GATHER_BYTES = 32 * 1024;

  private final Executor drains;
  private final long quietNanos;
  private final long maxLingerNanos;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when every watch of the connection has a write queued, or {@link #GATHER_BYTES} wait. */
  private final Condition full = lock.newCondition();
  /** Writes not yet handed to Jetty, in arrival order. Guarded by {@link #lock}. */
  private List<Write> queued = new ArrayList<>();
  /** The bytes of {@link #queued}. Guarded by {@link #lock}. */
  private long queuedBytes;
  /** Whether a drain is started and has not yet found the queue empty. Guarded by {@link #lock}. */
  private boolean draining;
  /** The watch streams on the connection. Guarded by {@link #lock}. */
  private int watches;

  /**
   * @param drains runs each drain; a rejected drain runs on the writing thread
   * @param quiet a drain stops lingering when no write came for this long
   * @param maxLinger the longest a drain lingers
   */
  ConnectionWrites(Executor drains, Duration quiet, Duration maxLinger) {
    this.drains = Objects.requireNonNull(drains, "drains");
    this.quietNanos = quiet.toNanos();
    this.maxLingerNanos = maxLinger.toNanos();
  }

  /** One more watch stream on the connection: a drain waits for a write from each. */
  void join() {
    lock.lock();
    try {
      watches++;
    } finally {
      lock.unlock();
    }
  }

  /** One watch stream less; true when it was the last. */
  boolean leave() {
    lock.lock();
    try {
      watches--;
      return watches <= 0;
    } finally {
      lock.unlock();
    }
  }

  /** A sink whose writes go to {@code stream} through this connection's gathering. */
  Content.Sink sink(Content.Sink stream) {
    Objects.requireNonNull(stream, "stream");
    return (last, bytes, done) -> write(new Write(stream, last, bytes, done));
  }

  private void write(Write w) {
    boolean start;
    lock.lock();
    try {
      queued.add(w);
      queuedBytes += w.bytes().remaining();
      if (queued.size() >= watches || queuedBytes >= GATHER_BYTES) {
        full.signal();
      }
      start = !draining;
      draining = true;
    } finally {
      lock.unlock();
    }
    if (start) {
      try {
        drains.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // the server is stopping: nothing left to gather for
        drain();
      }
    }
  }

  /** Hands every queued write to Jetty, batch by batch, until the queue is empty. */
  private void drain() {
    while (true) {
      List<Write> batch;
      lock.lock();
      try {
        linger();
        if (queued.isEmpty()) {
          draining = false;
          return;
        }
        batch = queued;
        queued = new ArrayList<>();
        queuedBytes = 0;
      } finally {
        lock.unlock();
      }
      send(batch);
    }
  }

  /**
   * Under the lock: waits while the event's other watches add writes, until each watch has one
   * queued, none came for the quiet time, the linger is over, or enough bytes wait.
   */
  private void linger() {
    long deadline = System.nanoTime() + maxLingerNanos;
    try {
      while (!queued.isEmpty() && queued.size() < watches && queuedBytes < GATHER_BYTES) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        int before = queued.size();
        full.awaitNanos(Math.min(left, quietNanos));
        if (queued.size() == before) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // stopping: send what is queued
      Thread.currentThread().interrupt();
    }
  }

  private static void send(List<Write> batch) {
    AtomicBoolean restSent = new AtomicBoolean();
    Runnable rest = () -> {
      if (restSent.compareAndSet(false, true)) {
        for (int i = 1; i < batch.size(); i++) {
          batch.get(i).send();
        }
      }
    };
    Write first = batch.getFirst();
    new Write(first.sink(), first.last(), first.bytes(), new Callback() {
      @Override
      public void succeeded() {
        first.done().succeeded();
        rest.run();
      }

      @Override
      public void failed(Throwable x) {
        first.done().failed(x);
        rest.run();
      }

      @Override
      public InvocationType getInvocationType() {
        // only queues writes, never waits: Jetty may run it on its selector
        return InvocationType.NON_BLOCKING;
      }
    }).send();
    // already done when the first write completed inline; otherwise do not wait for it
    rest.run();
  }
}
