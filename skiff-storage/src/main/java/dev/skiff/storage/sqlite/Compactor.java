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
 * <p>Runs on the writer connection in chunks of revisions, each its own transaction, oldest
 * first: a crash between chunks leaves a log in which every surviving row is still correct.
 */
final class Compactor {
  private static final long CHUNK = 20_000;

  private final Connection connection;

  Compactor(Connection connection) {
    this.connection = connection;
  }

  /** Deletes rows below {@code compactRevision}; the caller already committed the new meta. */
  void compact(long compactRevision) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM log WHERE rev >= ? AND rev < ? AND (deleted = 1 OR EXISTS"
                + " (SELECT 1 FROM log n WHERE n.key = log.key AND n.rev > log.rev"
                + " AND n.rev <= ?))")) {
      for (long from = 0; from < compactRevision; from += CHUNK) {
        delete.setLong(1, from);
        delete.setLong(2, Math.min(from + CHUNK, compactRevision));
        delete.setLong(3, compactRevision);
        delete.executeUpdate();
        connection.commit();
      }
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }
}
