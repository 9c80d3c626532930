package dev.skiff.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed pages from the WAL back into the database file on its own connection and
 * thread. SQLite would otherwise checkpoint inside a commit every 1000 pages, and the committer
 * (and every caller of its batch) would wait for that copy and its fsync. A PASSIVE checkpoint
 * never blocks the writer or readers; the WAL restarts from its beginning once a checkpoint has
 * caught up, so it stays small.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  private final Connection connection;
  private final Duration interval;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;

  Checkpointer(SqliteDatabase database, Duration interval) throws SQLException {
    this.connection = database.openCheckpointer();
    this.interval = interval;
    // a platform thread: a checkpoint is a long native call that would pin a virtual one
    this.thread =
        Thread.ofPlatform().name("skiff-sqlite-checkpoint").daemon().start(this::run);
  }

  private void run() {
    try (Statement s = connection.createStatement()) {
      while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
        s.execute("PRAGMA wal_checkpoint(PASSIVE)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      log.warn("WAL checkpoints stopped; the WAL file will grow until the store reopens", e);
    }
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join();
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      log.warn("closing the checkpoint connection failed", e);
    }
  }
}
