package dev.skiff.storage.sqlite;

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

  /** Runs {@code selectMeta}, a statement prepared from {@link LogQueries#SELECT_META}. */
  static StoredMeta read(PreparedStatement selectMeta) throws SQLException {
    try (ResultSet rs = selectMeta.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the meta row is missing");
      }
      return new StoredMeta(rs.getLong(1), rs.getLong(2));
    }
  }
}
