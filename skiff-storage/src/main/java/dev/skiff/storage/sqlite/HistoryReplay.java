package dev.skiff.storage.sqlite;

import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.WatchResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a catching-up {@link HubWatch} the history {@code [from, until]} from the log, a page at
 * a time and at the reader's pace, then switches it to live events. Each page is read in its own
 * snapshot, which also checks that a compaction has not removed the revisions still to come.
 */
final class HistoryReplay implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HistoryReplay.class);
  private static final int PAGE = 500;

  private final ReaderPool pool;
  private final HubWatch watch;
  private final KeyCondition keys;
  private final long until;
  private long next;

  HistoryReplay(ReaderPool pool, HubWatch watch, long from, long until) {
    this.pool = pool;
    this.watch = watch;
    this.keys = KeyCondition.of(watch.request());
    this.next = from;
    this.until = until;
  }

  /** A page of history, or the compact revision that made it unreadable. */
  private record Page(List<Event> events, long compactedAt) {}

  @Override
  public void run() {
    try {
      while (next <= until && !watch.isEnded()) {
        Page page = pool.read(this::readPage);
        if (page.compactedAt() > 0) {
          watch.endAndLeave(
              new WatchResponse.Ended(
                  WatchResponse.Reason.COMPACTED,
                  page.compactedAt(),
                  "history from revision " + next + " was compacted during the replay"));
          return;
        }
        if (page.events().isEmpty()) {
          break;
        }
        if (!watch.offerHistory(page.events())) {
          return;
        }
        next = page.events().getLast().revision() + 1;
      }
      watch.finishCatchUp();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("watch replay failed", e);
      watch.endAndLeave(new WatchResponse.Ended(WatchResponse.Reason.FAILED, 0, "replay failed: " + e));
    }
  }

  private Page readPage(ReaderConnection c) throws SQLException {
    StoredMeta meta = StoredMeta.read(c.prepare(LogQueries.SELECT_META));
    if (next < meta.compactRevision()) {
      return new Page(List.of(), meta.compactRevision());
    }
    List<LogEntry> entries = new ArrayList<>();
    PreparedStatement ps =
        c.prepare(
            "SELECT "
                + LogQueries.ENTRY_COLUMNS
                + " FROM log WHERE rev >= ? AND rev <= ? AND "
                + keys.sql("key")
                + " ORDER BY rev LIMIT "
                + PAGE);
    ps.setLong(1, next);
    ps.setLong(2, until);
    keys.bind(ps, 3);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        entries.add(LogQueries.entry(rs));
      }
    }
    List<Event> events = new ArrayList<>(entries.size());
    PreparedStatement prev = c.prepare(LogQueries.SELECT_ENTRY_BY_REV);
    for (LogEntry entry : entries) {
      events.add(entry.event(watch.request().prevKv() ? previous(prev, entry) : Optional.empty()));
    }
    return new Page(events, 0);
  }

  /** The version before {@code entry}, unless it was a create or its row was compacted away. */
  private static Optional<KeyValue> previous(PreparedStatement prev, LogEntry entry)
      throws SQLException {
    if (entry.prevRevision() == 0) {
      return Optional.empty();
    }
    prev.setLong(1, entry.prevRevision());
    try (ResultSet rs = prev.executeQuery()) {
      return rs.next() ? Optional.of(LogQueries.entry(rs).keyValue()) : Optional.empty();
    }
  }
}
