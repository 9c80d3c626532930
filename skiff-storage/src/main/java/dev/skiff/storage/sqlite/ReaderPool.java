package dev.skiff.storage.sqlite;

import dev.skiff.storage.StoreException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of reader connections. Each {@link #read} borrows one, runs the work in one read
 * transaction (one WAL snapshot, so everything it reads belongs to one revision) and gives it
 * back. Reads never wait for the writer: WAL readers see the last commit before they began.
 */
final class ReaderPool implements AutoCloseable {

  /** Work on a borrowed connection inside one read transaction. */
  @FunctionalInterface
  interface ReadWork<T> {
    T run(ReaderConnection connection) throws SQLException;
  }

  private final BlockingQueue<ReaderConnection> idle;
  private final List<ReaderConnection> all = new ArrayList<>();
  private volatile boolean closed;

  ReaderPool(SqliteDatabase database, int size) throws SQLException {
    this.idle = new ArrayBlockingQueue<>(size);
    try {
      for (int i = 0; i < size; i++) {
        ReaderConnection c = new ReaderConnection(database.openReader());
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  <T> T read(ReadWork<T> work) {
    if (closed) {
      throw new StoreException("store is closed");
    }
    ReaderConnection c;
    try {
      c = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a reader connection", e);
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("read failed: " + e.getMessage(), e);
    } finally {
      c.endRead();
      idle.add(c);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (ReaderConnection c : all) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }
}
