package dev.skiff.storage.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One pooled reader connection and its prepared statements, kept across reads: preparing costs
 * more than a point read itself. The statements' SQL comes from a small fixed set of shapes, so
 * the cache stays small. Used by one thread at a time (whoever borrowed it from the pool).
 */
final class ReaderConnection implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  ReaderConnection(Connection connection) {
    this.connection = connection;
  }

  /**
   * The prepared statement for {@code sql}. The caller binds every parameter, closes only its
   * result sets, and never the statement.
   */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Ends the read transaction, so that an idle reader does not hold back checkpoints. */
  void endRead() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is closing; nothing was written through it
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close(); // closes its statements too
  }
}
