package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer connection's statements. Used only by the committer thread, so it needs no locking;
 * every method runs inside the committer's open transaction.
 */
final class LogWriter implements AutoCloseable {
  private final Connection connection;
  private final PreparedStatement insertLog;
  private final PreparedStatement upsertCurrent;
  private final PreparedStatement deleteCurrent;
  private final PreparedStatement selectEntry;
  private final PreparedStatement updateMeta;

  LogWriter(Connection connection) throws SQLException {
    this.connection = connection;
    this.insertLog =
        connection.prepareStatement(
            "INSERT INTO log(rev, key, value, create_rev, version, deleted, prev_rev)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.upsertCurrent =
        connection.prepareStatement("INSERT OR REPLACE INTO current(key, rev) VALUES (?, ?)");
    this.deleteCurrent = connection.prepareStatement("DELETE FROM current WHERE key = ?");
    this.selectEntry = connection.prepareStatement(LogQueries.SELECT_ENTRY_BY_REV);
    this.updateMeta = connection.prepareStatement("UPDATE meta SET rev = ?, compact_rev = ?");
  }

  Connection connection() {
    return connection;
  }

  /** Appends {@code entry} to the log and points the key's current row at it. */
  void append(LogEntry entry) throws SQLException {
    insertLog.setLong(1, entry.revision());
    insertLog.setBytes(2, entry.key().unsafeArray());
    insertLog.setBytes(3, entry.value().unsafeArray());
    insertLog.setLong(4, entry.createRevision());
    insertLog.setLong(5, entry.version());
    insertLog.setInt(6, entry.deleted() ? 1 : 0);
    insertLog.setLong(7, entry.prevRevision());
    insertLog.executeUpdate();
    if (entry.deleted()) {
      deleteCurrent.setBytes(1, entry.key().unsafeArray());
      deleteCurrent.executeUpdate();
    } else {
      upsertCurrent.setBytes(1, entry.key().unsafeArray());
      upsertCurrent.setLong(2, entry.revision());
      upsertCurrent.executeUpdate();
    }
  }

  /** The log row of {@code revision}; the writer calls it for values it does not keep in memory. */
  LogEntry entry(long revision) throws SQLException {
    selectEntry.setLong(1, revision);
    try (ResultSet rs = selectEntry.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("log row " + revision + " is missing");
      }
      return LogQueries.entry(rs);
    }
  }

  void writeMeta(long revision, long compactRevision) throws SQLException {
    updateMeta.setLong(1, revision);
    updateMeta.setLong(2, compactRevision);
    updateMeta.executeUpdate();
  }

  /** Every live key's latest revisions, for the writer's in-memory index. */
  Map<Bytes, KeyMeta> loadLiveKeys() throws SQLException {
    Map<Bytes, KeyMeta> keys = new HashMap<>();
    try (PreparedStatement ps =
            connection.prepareStatement(
                "SELECT c.key, l.create_rev, l.rev, l.version FROM current c"
                    + " JOIN log l ON l.rev = c.rev");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.put(Bytes.wrap(rs.getBytes(1)), new KeyMeta(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
      }
    }
    return keys;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
