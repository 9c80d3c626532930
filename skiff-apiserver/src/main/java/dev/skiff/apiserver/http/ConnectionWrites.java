package dev.skiff.apiserver.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * while no drain is pending starts a drain on {@code drains} (a new virtual thread). The scheduler
 * runs it after the watch threads that the same event woke earlier, so by then most of the
 * connection's frames wait. The drain hands Jetty the batch's first write, and the rest from that
 * write's completion callback, which Jetty runs inside its flusher loop before it looks for more
 * work: the rest is queued while the flusher is busy and leaves in its next socket write (about two
 * writes per batch). When the first write does not complete at once (its stream's window is closed,
 * the socket is full, another thread is flushing), the drain hands over the rest itself, so a
 * stalled stream never holds up the others. Order within a stream is its writer's: a watch has at
 * most one write in flight ({@link WatchStreamWriter}), and batches keep queue order.
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

  private final Executor drains;
  private final ReentrantLock lock = new ReentrantLock();
  /** Writes not yet handed to Jetty, in arrival order. Guarded by {@link #lock}. */
  private List<Write> queued = new ArrayList<>();
  /** Whether a drain is started and has not yet found the queue empty. Guarded by {@link #lock}. */
  private boolean draining;

  /** @param drains runs each drain; a rejected drain runs on the writing thread */
  ConnectionWrites(Executor drains) {
    this.drains = Objects.requireNonNull(drains, "drains");
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
        if (queued.isEmpty()) {
          draining = false;
          return;
        }
        batch = queued;
        queued = new ArrayList<>();
      } finally {
        lock.unlock();
      }
      send(batch);
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
