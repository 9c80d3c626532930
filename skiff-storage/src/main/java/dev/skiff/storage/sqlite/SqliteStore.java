package dev.skiff.storage.sqlite;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WriteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded {@link Store}: one SQLite file in WAL mode, written by a single group-committing
 * {@link Committer}, read through a small {@link ReaderPool}, watched through an in-process
 * {@link WatchHub} fed by the committer (the database is never polled for changes).
 *
 * <p>Thread-safe. Owns its threads and connections; {@link #close()} releases them.
 */
public final class SqliteStore implements Store {
  private static final int READERS = 4;
  private static final int QUEUE_CAPACITY = 4096;

  private final ReaderPool readers;
  private final RangeReader rangeReader;
  private final WatchHub hub;
  private final Committer committer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteStore(ReaderPool readers, WatchHub hub, Committer committer) {
    this.readers = readers;
    this.rangeReader = new RangeReader(readers);
    this.hub = hub;
    this.committer = committer;
  }

  /** Opens the store in {@code dbFile}, creating the file when it does not exist. */
  public static SqliteStore open(Path dbFile) {
    Objects.requireNonNull(dbFile, "dbFile");
    SqliteDatabase database = new SqliteDatabase(dbFile);
    Connection writerConnection = null;
    ReaderPool readers = null;
    try {
      Path parent = dbFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      writerConnection = database.openWriter();
      database.createSchema(writerConnection);
      StoredMeta meta;
      try (PreparedStatement ps = writerConnection.prepareStatement(LogQueries.SELECT_META)) {
        meta = StoredMeta.read(ps);
      }
      writerConnection.commit();
      readers = new ReaderPool(database, READERS);
      WatchHub hub = new WatchHub(readers, meta.revision());
      Committer committer =
          new Committer(new LogWriter(writerConnection), meta, hub, QUEUE_CAPACITY);
      return new SqliteStore(readers, hub, committer);
    } catch (IOException | SQLException e) {
      if (readers != null) {
        readers.close();
      }
      if (writerConnection != null) {
        try {
          writerConnection.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_BUSY) {
        throw new StoreException(dbFile + " is locked: another store, probably in another process, has it open", e);
      }
      throw new StoreException("cannot open " + dbFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public RangeResult range(RangeRequest request) {
    Objects.requireNonNull(request, "request");
    return rangeReader.range(request);
  }

  @Override
  public WriteResult create(Bytes key, Bytes value) {
    Store.checkWrite(key, value);
    CompletableFuture<WriteResult> result = new CompletableFuture<>();
    return committer.submit(new WriteRequest.Create(key, value, result), result);
  }

  @Override
  public WriteResult update(Bytes key, Bytes value, long expectedModRevision) {
    Store.checkWrite(key, value);
    CompletableFuture<WriteResult> result = new CompletableFuture<>();
    return committer.submit(
        new WriteRequest.Update(key, value, expectedModRevision, result), result);
  }

  @Override
  public WriteResult delete(Bytes key, long expectedModRevision) {
    Store.checkWrite(key, Bytes.EMPTY);
    CompletableFuture<WriteResult> result = new CompletableFuture<>();
    return committer.submit(new WriteRequest.Delete(key, expectedModRevision, result), result);
  }

  @Override
  public Watch watch(WatchRequest request) {
    Objects.requireNonNull(request, "request");
    return hub.watch(request, committer.compactRevision());
  }

  @Override
  public long currentRevision() {
    return committer.revision();
  }

  @Override
  public void compact(long revision) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    committer.submit(new WriteRequest.Compact(revision, result), result);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    committer.close();
    hub.close();
    readers.close();
  }
}
