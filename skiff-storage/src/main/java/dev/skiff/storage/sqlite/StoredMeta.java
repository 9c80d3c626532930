package dev.skiff.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code meta} row as one transaction sees it.
 *
 * @param revision the revision of the last committed write (1 for an empty store)
 * @param compactRevision the revision of the last compaction; 0 if never compacted
 */
record StoredMeta(long revision, long compactRevision) {

  static StoredMeta read(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LogQueries.SELECT_META);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the meta row is missing");
      }
      return new StoredMeta(rs.getLong(1), rs.getLong(2));
    }
  }
}
