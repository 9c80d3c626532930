package dev.skiff.storage.sqlite;

import dev.skiff.storage.CompactedException;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves {@link dev.skiff.storage.Store#range}. A read at the current revision walks the
 * {@code current} table; a read at a past revision takes, per key, the newest log row at or
 * below that revision and drops keys whose newest row is a delete. Both run in one snapshot
 * that starts by reading {@code meta}, so the revision checks and the rows agree.
 */
final class RangeReader {
  private final ReaderPool pool;

  RangeReader(ReaderPool pool) {
    this.pool = pool;
  }

  RangeResult range(RangeRequest request) {
    return pool.read(c -> range(c, request));
  }

  private static RangeResult range(ReaderConnection c, RangeRequest request)
      throws SQLException {
    StoredMeta meta = StoredMeta.read(c.prepare(LogQueries.SELECT_META));
    long revision = request.revision() == 0 ? meta.revision() : request.revision();
    if (revision > meta.revision()) {
      throw new FutureRevisionException(revision, meta.revision());
    }
    if (revision < meta.compactRevision()) {
      throw new CompactedException(revision, meta.compactRevision());
    }
    boolean atCurrent = revision == meta.revision();
    KeyCondition where = KeyCondition.of(request);
    String rows =
        atCurrent
            ? "SELECT l.rev, l.key, l.value, l.create_rev, l.version, l.deleted, l.prev_rev"
                + " FROM current c JOIN log l ON l.rev = c.rev WHERE "
                + where.sql("c.key")
                + " ORDER BY c.key"
            : "SELECT l.rev, l.key, l.value, l.create_rev, l.version, l.deleted, l.prev_rev"
                + " FROM log l WHERE "
                + pastVersions(where)
                + " ORDER BY l.key";
    int limit = request.limit();
    List<KeyValue> kvs = new ArrayList<>();
    if (!request.countOnly()) {
      PreparedStatement ps = c.prepare(rows + " LIMIT ?");
      int next = bind(ps, where, atCurrent, revision);
      ps.setLong(next, limit == 0 ? -1 : limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          kvs.add(LogQueries.entry(rs).keyValue());
        }
      }
      if (limit == 0 || kvs.size() < limit) {
        // the list is the whole range: no need to count it again
        return new RangeResult(kvs, revision, false, kvs.size());
      }
    }
    PreparedStatement ps =
        c.prepare(
            atCurrent
                ? "SELECT count(*) FROM current c WHERE " + where.sql("c.key")
                : "SELECT count(*) FROM log l WHERE " + pastVersions(where));
    bind(ps, where, atCurrent, revision);
    long total;
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      total = rs.getLong(1);
    }
    return new RangeResult(kvs, revision, !request.countOnly() && total > kvs.size(), total);
  }

  /** Binds the key range and, for a past read, the revision twice; returns the next index. */
  private static int bind(
      PreparedStatement ps, KeyCondition where, boolean atCurrent, long revision)
      throws SQLException {
    int i = where.bind(ps, 1);
    if (!atCurrent) {
      ps.setLong(i++, revision);
      ps.setLong(i++, revision);
    }
    return i;
  }

  /**
   * Rows of {@code log l} that are, per key in the range, the newest at or below a revision
   * (bound twice) and not a delete. Walks the {@code (key, rev)} index in key order with one
   * index probe per row, so a LIMIT stops it early and no sort is needed.
   */
  private static String pastVersions(KeyCondition where) {
    return where.sql("l.key")
        + " AND l.rev <= ? AND l.deleted = 0 AND l.rev ="
        + " (SELECT MAX(x.rev) FROM log x WHERE x.key = l.key AND x.rev <= ?)";
  }
}
