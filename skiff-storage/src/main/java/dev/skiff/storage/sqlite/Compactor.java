package dev.skiff.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Deletes the log rows that no read at or above the compact revision needs: a version older than
 * the compact revision that a newer version at or below it supersedes, and a delete older than
 * the compact revision. A delete at exactly the compact revision stays, so that a watch starting
 * there still sees it.
 *
 * <p>The sweep runs on the writer connection in chunks of revisions, oldest first, each its own
 * transaction, which the committer interleaves with write batches so that a large compaction
 * does not stall writers. Rows left behind (a crash or close mid-sweep) are harmless: a read
 * takes the newest version at or below its revision, and the next compaction sweeps from the
 * start again.
 *
 * <p>Used only by the committer thread.
 */
final class Compactor {
  private static final long CHUNK = 5_000;

  private final Connection connection;
  private long target;
  private long next;

  Compactor(Connection connection) {
    this.connection = connection;
  }

  /** Whether a sweep is under way. */
  boolean active() {
    return next < target;
  }

  /** Sweeps up to {@code compactRevision}, from the start: earlier sweeps kept rows it drops. */
  void start(long compactRevision) {
    target = compactRevision;
    next = 0;
  }

  /** Deletes one chunk and commits; the caller committed the new compact revision before. */
  void step() throws SQLException {
    long to = Math.min(next + CHUNK, target);
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM log WHERE rev >= ? AND rev < ? AND (deleted = 1 OR EXISTS"
                + " (SELECT 1 FROM log n WHERE n.key = log.key AND n.rev > log.rev"
                + " AND n.rev <= ?))")) {
      delete.setLong(1, next);
      delete.setLong(2, to);
      delete.setLong(3, target);
      delete.executeUpdate();
      connection.commit();
      next = to;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }
}
