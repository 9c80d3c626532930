package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL text and row mapping shared by the writer, the range reader and the watch replay. */
final class LogQueries {
  static final String ENTRY_COLUMNS = "rev, key, value, create_rev, version, deleted, prev_rev";
  static final String SELECT_ENTRY_BY_REV = "SELECT " + ENTRY_COLUMNS + " FROM log WHERE rev = ?";
  static final String SELECT_META = "SELECT rev, compact_rev FROM meta";

  private LogQueries() {}

  /** Maps a row selected with {@link #ENTRY_COLUMNS}, in that order. */
  static LogEntry entry(ResultSet rs) throws SQLException {
    byte[] value = rs.getBytes(3);
    return new LogEntry(
        rs.getLong(1),
        Bytes.wrap(rs.getBytes(2)),
        value == null ? Bytes.EMPTY : Bytes.wrap(value),
        rs.getLong(4),
        rs.getLong(5),
        rs.getInt(6) != 0,
        rs.getLong(7));
  }
}
