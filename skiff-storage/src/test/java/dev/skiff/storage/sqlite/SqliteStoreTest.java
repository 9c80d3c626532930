package dev.skiff.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.Event;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.ValueTooLargeException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import dev.skiff.storage.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks beyond the shared suite: paged reads at past revisions, compaction edge cases, a long
 * replay paced by a small queue, periodic progress and FAILED on close.
 */
class SqliteStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;
  private SqliteStore store;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dir.resolve("skiff.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Bytes b(String s) {
    return Bytes.of(s);
  }

  private WriteResult.Written put(String key, String value) {
    return (WriteResult.Written) store.create(b(key), b(value));
  }

  @Test
  void rangesHonourLimitCountAndPastRevisions() {
    for (int i = 0; i < 10; i++) {
      put("p/" + i, "v" + i);
    }
    put("q/0", "other");
    long listRev = store.currentRevision();
    RangeResult page = store.range(RangeRequest.prefix(b("p/")).withLimit(4));
    assertThat(page.kvs()).extracting(kv -> kv.key().toStringUtf8())
        .containsExactly("p/0", "p/1", "p/2", "p/3");
    assertThat(page.more()).isTrue();
    assertThat(page.count()).isEqualTo(10);
    assertThat(page.revision()).isEqualTo(listRev);

    // writes after the first page do not show up in the rest of the list
    store.delete(b("p/5"), store.get(b("p/5")).orElseThrow().modRevision());
    put("p/55", "new");
    RangeResult rest =
        store.range(
            RangeRequest.prefix(b("p/"))
                .startingAt(page.kvs().getLast().key().successor())
                .atRevision(listRev));
    assertThat(rest.kvs()).extracting(kv -> kv.key().toStringUtf8())
        .containsExactly("p/4", "p/5", "p/6", "p/7", "p/8", "p/9");
    assertThat(rest.more()).isFalse();
    assertThat(store.range(RangeRequest.prefix(b("p/")).counting()).count()).isEqualTo(10);
    assertThat(store.range(RangeRequest.prefix(b("p/")).counting().atRevision(listRev)).count())
        .isEqualTo(10);
    assertThat(store.range(RangeRequest.prefix(b("p/")).atRevision(2)).kvs())
        .extracting(kv -> kv.key().toStringUtf8())
        .containsExactly("p/0");
    assertThatThrownBy(() -> store.range(RangeRequest.single(b("p/1")).atRevision(100)))
        .isInstanceOf(FutureRevisionException.class);
  }

  @Test
  void compactionKeepsWhatReadsAtTheCompactRevisionNeed() {
    WriteResult.Written a = put("a", "1");
    WriteResult.Written b = put("b", "1");
    store.update(b("a"), b("2"), a.revision());
    store.delete(b("b"), b.revision());
    put("c", "1");
    long compactAt = store.currentRevision() - 1; // after the delete of b
    RangeResult before = store.range(RangeRequest.prefix(Bytes.EMPTY).atRevision(compactAt));
    store.compact(compactAt);
    assertThat(store.range(RangeRequest.prefix(Bytes.EMPTY).atRevision(compactAt)))
        .isEqualTo(before);
    assertThatThrownBy(() -> store.range(RangeRequest.single(b("a")).atRevision(compactAt - 1)))
        .isInstanceOf(CompactedException.class);
    store.compact(compactAt - 1); // no-op
    assertThatThrownBy(() -> store.compact(store.currentRevision() + 1))
        .isInstanceOf(FutureRevisionException.class);
    try (Watch w = store.watch(WatchRequest.prefix(Bytes.EMPTY, compactAt - 1))) {
      assertThat(poll(w)).isInstanceOfSatisfying(
          WatchResponse.Ended.class,
          e -> {
            assertThat(e.reason()).isEqualTo(WatchResponse.Reason.COMPACTED);
            assertThat(e.compactRevision()).isEqualTo(compactAt);
          });
    }
    // a watch from the compact revision still sees the delete made at it
    try (Watch w = store.watch(WatchRequest.prefix(Bytes.EMPTY, compactAt))) {
      List<Event> events = eventsUntil(w, store.currentRevision());
      assertThat(events).extracting(Event::type)
          .containsExactly(Event.Type.DELETE, Event.Type.PUT);
    }
  }

  @Test
  void compactionDeletesSupersededRowsAcrossSweepChunks() throws Exception {
    // more revisions than one sweep chunk, so the sweep spans several transactions
    long rev = put("hot", "0").revision();
    Thread cold = Thread.ofVirtual().start(() -> writeConcurrently("cold/", 16, 400, b("v")));
    for (int i = 0; i < 100; i++) {
      rev = store.update(b("hot"), b("v" + i), rev).revision();
    }
    cold.join();
    long compactAt = store.currentRevision();
    long hotDelete = store.delete(b("hot"), rev).revision();
    assertThat(logRows()).isEqualTo(1 + 16 * 400 + 100 + 1);

    store.compact(hotDelete);

    // every cold key's only version stays; of "hot" only its delete at the compact revision
    assertThat(logRows()).isEqualTo(16 * 400 + 1);
    assertThat(store.range(RangeRequest.prefix(b("cold/")).counting().atRevision(hotDelete))
        .count()).isEqualTo(16 * 400);
    assertThatThrownBy(() -> store.range(RangeRequest.single(b("hot")).atRevision(compactAt)))
        .isInstanceOf(CompactedException.class);
    assertThat(put("after", "v").revision()).isEqualTo(hotDelete + 1);
  }

  @Test
  void theWalStaysBoundedUnderSustainedWrites() throws Exception {
    writeConcurrently("wal/", 32, 500, Bytes.wrap(new byte[2048]));
    // 32 MB went through the WAL, which checkpoints every 16 MB: it must have restarted
    assertThat(Files.size(dir.resolve("skiff.db-wal"))).isLessThan(24L << 20);
    assertThat(store.range(RangeRequest.prefix(b("wal/")).counting()).count()).isEqualTo(16000);
  }

  private long logRows() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("skiff.db"));
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM log")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void watchFromThePastReplaysAtTheReadersPaceThenGoesLiveWithoutGapOrDuplicate()
      throws Exception {
    writeConcurrently("k/", 8, 150, b("v")); // revisions 2..1201
    try (Watch w = store.watch(WatchRequest.prefix(b("k/"), 2).withMaxPendingEvents(100))) {
      w.requestProgress(); // asked during the catch-up: answered once the history is out
      // Live writes during the replay stay below the 100-event buffer: how far the replay has
      // got when they arrive depends on timing, and overflow is another test's subject.
      Thread writer = Thread.ofVirtual().start(() -> writeConcurrently("k/live/", 4, 20, b("v")));
      List<Event> events = new ArrayList<>();
      long progress = 0;
      while (progress == 0 || events.size() < 1280) {
        switch (poll(w)) {
          case WatchResponse.Events e -> events.addAll(e.events());
          case WatchResponse.Progress p -> {
            assertThat(p.revision()).isGreaterThanOrEqualTo(1201);
            assertThat(events).as("progress after every event it covers")
                .hasSize((int) p.revision() - 1);
            progress = p.revision();
          }
          case WatchResponse.Ended e -> throw new AssertionError("ended: " + e);
        }
      }
      writer.join();
      assertThat(events).hasSize(1280);
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).revision()).isEqualTo(i + 2);
      }
    }
  }

  /** Creates {@code writers * each} keys under {@code prefix} from concurrent writers. */
  private void writeConcurrently(String prefix, int writers, int each, Bytes value) {
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      threads.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < each; i++) {
          assertThat(store.create(b(prefix + id + "/" + i), value))
              .isInstanceOf(WriteResult.Written.class);
        }
      }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void progressOnRequestAndWhenIdleAndFailedAfterQueuedEventsOnClose() {
    put("x", "1");
    Watch w = store.watch(WatchRequest.prefix(b("p/"), 0).withProgressInterval(Duration.ofMillis(50)));
    Watch requested = store.watch(WatchRequest.prefix(b("p/"), 0));
    put("y", "1");
    requested.requestProgress();
    assertThat(poll(requested)).isEqualTo(new WatchResponse.Progress(store.currentRevision()));
    assertThat(poll(w)).isInstanceOf(WatchResponse.Progress.class);
    long last = put("p/queued", "1").revision();

    store.close();

    // what was queued before the close still arrives, then the end, and only the end
    assertThat(eventsUntil(requested, last)).hasSize(1);
    WatchResponse end = poll(requested);
    assertThat(end).isInstanceOfSatisfying(
        WatchResponse.Ended.class,
        e -> assertThat(e.reason()).isEqualTo(WatchResponse.Reason.FAILED));
    assertThat(poll(requested)).isEqualTo(end);
  }

  private static WatchResponse poll(Watch w) {
    try {
      WatchResponse r = w.poll(WAIT);
      assertThat(r).as("a response within %s", WAIT).isNotNull();
      return r;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Events from {@code w} until one at {@code revision}; fails on anything else. */
  static List<Event> eventsUntil(Watch w, long revision) {
    List<Event> events = new ArrayList<>();
    while (events.isEmpty() || events.getLast().revision() < revision) {
      WatchResponse r = poll(w);
      assertThat(r).isInstanceOf(WatchResponse.Events.class);
      events.addAll(((WatchResponse.Events) r).events());
    }
    return events;
  }
}
