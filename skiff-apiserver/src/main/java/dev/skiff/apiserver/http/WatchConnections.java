package dev.skiff.apiserver.http;

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
  private record Entry(ConnectionWrites writes, int watches) {}

  private final ExecutorService drains =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("watch-writes-", 0).factory());
  private final Map<Object, Entry> byConnection = new ConcurrentHashMap<>();

  /**
   * Counts one more watch on {@code connection} (compared by identity: Jetty's connection object)
   * and returns its writes; the caller must {@link #leave} once when the watch ends.
   */
  ConnectionWrites join(Object connection) {
    Objects.requireNonNull(connection, "connection");
    return byConnection.compute(connection, (c, e) -> e == null
        ? new Entry(new ConnectionWrites(drains), 1)
        : new Entry(e.writes(), e.watches() + 1)).writes();
  }

  /** Counts one watch less on {@code connection}, forgetting it after its last. */
  void leave(Object connection) {
    byConnection.computeIfPresent(connection, (c, e) -> e.watches() <= 1 ? null : new Entry(e.writes(), e.watches() - 1));
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
