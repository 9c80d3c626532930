package dev.skiff.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file behind a {@link SqliteStore}: opens connections configured alike and creates
 * the schema.
 *
 * <p>Schema (one row per revision, as etcd's mvcc keeps one entry per revision):
 *
 * <ul>
 *   <li>{@code log(rev PK, key, value, create_rev, version, deleted, prev_rev)}: every write;
 *       {@code prev_rev} is the mod revision of the key's previous version (0 after a create), so
 *       a watch with {@code prevKv} finds it with one primary-key lookup. An index on
 *       {@code (key, rev)} serves reads at past revisions.
 *   <li>{@code current(key PK, rev)}: the log row of each live key's latest version, so that a
 *       list at the current revision walks only live keys.
 *   <li>{@code meta(rev, compact_rev)}: one row, written in every write transaction, so that a
 *       read transaction sees the revision and compact revision that match its snapshot.
 * </ul>
 *
 * <p>WAL mode lets readers run beside the single writer; {@code synchronous=FULL} makes every
 * commit durable before it returns (WAL with NORMAL may lose the last commits on power loss).
 */
final class SqliteDatabase {
  private final String url;

  SqliteDatabase(Path file) {
    this.url = "jdbc:sqlite:" + Objects.requireNonNull(file, "file").toAbsolutePath();
  }

  /**
   * A connection for the single writer: its transactions start IMMEDIATE, so it holds the write
   * lock from one commit to the next and no other process can write the file meanwhile.
   */
  Connection openWriter() throws SQLException {
    // only another process can hold the write lock this long: fail fast and say so
    return open(SQLiteConfig.TransactionMode.IMMEDIATE, 3_000, WRITER_CACHE_KIB);
  }

  /**
   * The writer's page cache: the B-tree pages every commit walks (log, its index, current) stay hot.
   * Each connection's cache is malloc'd memory that SQLite keeps once filled (the WAL's pages are read
   * through it, not through mmap), so it counts in the server's RSS.
   */
  private static final int WRITER_CACHE_KIB = 16_384;
  /**
   * The readers' page caches: small, as the watch cache serves nearly every read and the database file
   * itself is read through mmap; at the writer's 16 MiB each, four readers could hold 64 MiB.
   */
  private static final int READER_CACHE_KIB = 2_048;

  /** A connection for readers; each read runs in its own deferred (snapshot) transaction. */
  Connection openReader() throws SQLException {
    return open(SQLiteConfig.TransactionMode.DEFERRED, 30_000, READER_CACHE_KIB);
  }

  private Connection open(SQLiteConfig.TransactionMode mode, int busyTimeoutMillis, int cacheKiB)
      throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(busyTimeoutMillis);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setCacheSize(-cacheKiB); // negative: KiB, not pages
    // reads through mmap share the OS page cache instead of filling each connection's own
    config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(1L << 30));
    // the writer checkpoints inside a commit every 4000 pages (16 MiB of WAL): rarer and larger
    // checkpoints copy each hot page once for many commits (measured ~7% more creates/s than
    // SQLite's 1000). The writer has to do it itself: only a writer that starts a transaction
    // right after a complete checkpoint lets the WAL restart from its beginning.
    config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "4000");
    config.setTransactionMode(mode);
    Connection connection = config.createConnection(url);
    connection.setAutoCommit(false);
    return connection;
  }

  /** Creates the tables when the file is new; safe to run on every open. */
  void createSchema(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS log(rev INTEGER PRIMARY KEY, key BLOB NOT NULL,"
              + " value BLOB NOT NULL, create_rev INTEGER NOT NULL, version INTEGER NOT NULL,"
              + " deleted INTEGER NOT NULL, prev_rev INTEGER NOT NULL)");
      s.executeUpdate("CREATE INDEX IF NOT EXISTS log_key_rev ON log(key, rev)");
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS current(key BLOB PRIMARY KEY, rev INTEGER NOT NULL)"
              + " WITHOUT ROWID");
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS meta(id INTEGER PRIMARY KEY CHECK (id = 1),"
              + " rev INTEGER NOT NULL, compact_rev INTEGER NOT NULL)");
      s.executeUpdate("INSERT OR IGNORE INTO meta(id, rev, compact_rev) VALUES (1, 1, 0)");
    }
    connection.commit();
  }
}
