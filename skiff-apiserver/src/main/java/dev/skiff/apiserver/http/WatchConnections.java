package dev.skiff.apiserver.http;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The connections that carry HTTP watch streams, each with its {@link ConnectionWrites}: a
 * connection's entry lives from its first watch's {@link #join} to its last watch's {@link #leave}.
 *
 * <p>Thread-safe. Owns the virtual threads that drain the writes; {@link #close} waits for the
 * drains in progress (each ends once its queue is empty), after which writes drain on the writing
 * thread.
 */
final class WatchConnections implements AutoCloseable {
  /**
   * A drain stops waiting for more of an event's writes after this long without one: the watch
   * threads an event wakes each take tens of microseconds, so a gap this long ends the burst.
   */
  static final Duration QUIET = Duration.ofMillis(1);
  /** The longest a drain waits for more writes (the delay it may add to a delivery). */
  static final Duration MAX_LINGER = Duration.ofMillis(5);

  private final ExecutorService drains =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("watch-writes-", 0).factory());
  private final Map<Object, ConnectionWrites> byConnection = new ConcurrentHashMap<>();

  /**
   * Counts one more watch on {@code connection} (compared by identity: Jetty's connection object)
   * and returns its writes; the caller must {@link #leave} once when the watch ends.
   */
  ConnectionWrites join(Object connection) {
    Objects.requireNonNull(connection, "connection");
    return byConnection.compute(connection, (c, writes) -> {
      ConnectionWrites w = writes != null ? writes : new ConnectionWrites(drains, QUIET, MAX_LINGER);
      w.join();
      return w;
    });
  }

  /** Counts one watch less on {@code connection}, forgetting it after its last. */
  void leave(Object connection) {
    byConnection.computeIfPresent(connection, (c, writes) -> writes.leave() ? null : writes);
  }

  /** How many connections carry watches (for tests). */
  int size() {
    return byConnection.size();
  }

  @Override
  public void close() {
    drains.close();
  }
}
