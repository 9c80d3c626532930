package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.WatchRequest;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A key range as a SQL condition with its parameters, with the meaning of
 * {@link RangeRequest#contains}: one key when {@code end} is empty and {@code key} is not, else
 * {@code [key, end)} with an empty end meaning "to the end of the keyspace". Keys are bound as
 * BLOBs, which SQLite compares bytewise unsigned (memcmp), as etcd does.
 */
record KeyCondition(Bytes key, Bytes end, boolean single) {

  static KeyCondition of(RangeRequest r) {
    return new KeyCondition(r.key(), r.end(), r.isSingleKey());
  }

  static KeyCondition of(WatchRequest r) {
    return new KeyCondition(r.key(), r.end(), r.isSingleKey());
  }

  String sql(String column) {
    if (single) {
      return column + " = ?";
    }
    return end.isEmpty() ? column + " >= ?" : column + " >= ? AND " + column + " < ?";
  }

  /** Binds the parameters from {@code index}; returns the next free index. */
  int bind(PreparedStatement ps, int index) throws SQLException {
    ps.setBytes(index++, key.unsafeArray());
    if (!single && !end.isEmpty()) {
      ps.setBytes(index++, end.unsafeArray());
    }
    return index;
  }
}
