package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.skiff.storage.WatchResponse.Ended;
import dev.skiff.storage.WatchResponse.Events;
import dev.skiff.storage.WatchResponse.Progress;
import dev.skiff.storage.WatchResponse.Reason;
import dev.skiff.storage.WriteResult.AlreadyExists;
import dev.skiff.storage.WriteResult.NotFound;
import dev.skiff.storage.WriteResult.RevisionMismatch;
import dev.skiff.storage.WriteResult.Written;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Store} implementation must show: etcd v3 semantics as the API
 * server relies on them. Each implementation's test class extends this one and supplies
 * {@link #newStore()}.
 *
 * <p>Tests may share one backing store (one etcd process for a whole class): each test works
 * under its own random key prefix and asserts only revisions relative to its own writes. Tests
 * run one at a time, so within a test no other writer moves the revision.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StoreConformanceTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A store for one test; closed by the suite after the test. May share backing state. */
  protected abstract Store newStore() throws Exception;

  protected Store store;
  protected Bytes prefix;
  private final List<Watch> watches = new ArrayList<>();

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
    prefix = Bytes.of("/conformance/" + UUID.randomUUID() + "/");
  }

  @AfterEach
  void closeStore() {
    watches.forEach(Watch::close);
    store.close();
  }

  // ---- writes ----

  @Test
  void createAssignsTheNextRevisionAndVersionOne() {
    long before = store.currentRevision();
    Written w = written(store.create(key("a"), text("1")));

    assertThat(w.revision()).isEqualTo(before + 1);
    assertThat(w.kv()).isEqualTo(new KeyValue(key("a"), text("1"), before + 1, before + 1, 1));
    assertThat(w.prev()).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(before + 1);
    assertThat(store.get(key("a"))).contains(w.kv());
  }

  @Test
  void createOfAnExistingKeyReportsAlreadyExistsAndWritesNothing() {
    Written first = written(store.create(key("a"), text("1")));

    WriteResult again = store.create(key("a"), text("2"));

    assertThat(again).isInstanceOf(AlreadyExists.class);
    assertThat(((AlreadyExists) again).current()).isEqualTo(first.kv());
    assertThat(again.revision()).isEqualTo(first.revision());
    assertThat(store.currentRevision()).isEqualTo(first.revision());
    assertThat(store.get(key("a"))).contains(first.kv());
  }

  @Test
  void updateAtTheExpectedRevisionBumpsVersionAndKeepsCreateRevision() {
    Written created = written(store.create(key("a"), text("1")));

    Written updated = written(store.update(key("a"), text("2"), created.revision()));

    assertThat(updated.revision()).isEqualTo(created.revision() + 1);
    assertThat(updated.kv())
        .isEqualTo(new KeyValue(key("a"), text("2"), created.revision(), updated.revision(), 2));
    assertThat(updated.prev()).contains(created.kv());
    assertThat(store.get(key("a"))).contains(updated.kv());
  }

  @Test
  void updateAtAStaleRevisionReportsTheCurrentValue() {
    Written created = written(store.create(key("a"), text("1")));
    Written updated = written(store.update(key("a"), text("2"), created.revision()));

    WriteResult stale = store.update(key("a"), text("3"), created.revision());

    assertThat(stale).isInstanceOf(RevisionMismatch.class);
    assertThat(((RevisionMismatch) stale).current()).isEqualTo(updated.kv());
    assertThat(store.currentRevision()).isEqualTo(updated.revision());
    assertThat(store.get(key("a")).orElseThrow().value()).isEqualTo(text("2"));
  }

  @Test
  void updateOrDeleteOfAMissingKeyReportsNotFound() {
    long before = store.currentRevision();

    assertThat(store.update(key("missing"), text("x"), 5)).isInstanceOf(NotFound.class);
    assertThat(store.delete(key("missing"), 5)).isInstanceOf(NotFound.class);
    assertThat(store.currentRevision()).isEqualTo(before);
    assertThat(store.get(key("missing"))).isEmpty();
  }

  @Test
  void deleteAtTheExpectedRevisionRemovesTheKeyAndReturnsThePreviousValue() {
    Written created = written(store.create(key("a"), text("1")));

    Written deleted = written(store.delete(key("a"), created.revision()));

    assertThat(deleted.revision()).isEqualTo(created.revision() + 1);
    assertThat(deleted.kv().key()).isEqualTo(key("a"));
    assertThat(deleted.kv().modRevision()).isEqualTo(deleted.revision());
    assertThat(deleted.kv().version()).isZero();
    assertThat(deleted.prev()).contains(created.kv());
    assertThat(store.get(key("a"))).isEmpty();
  }

  @Test
  void deleteAtAStaleRevisionKeepsTheKey() {
    Written created = written(store.create(key("a"), text("1")));
    Written updated = written(store.update(key("a"), text("2"), created.revision()));

    WriteResult stale = store.delete(key("a"), created.revision());

    assertThat(stale).isInstanceOf(RevisionMismatch.class);
    assertThat(((RevisionMismatch) stale).current()).isEqualTo(updated.kv());
    assertThat(store.get(key("a"))).contains(updated.kv());
  }

  @Test
  void aKeyCreatedAgainAfterDeletionStartsANewGeneration() {
    Written created = written(store.create(key("a"), text("1")));
    written(store.delete(key("a"), created.revision()));

    Written again = written(store.create(key("a"), text("2")));

    assertThat(again.kv().createRevision()).isEqualTo(again.revision());
    assertThat(again.kv().version()).isEqualTo(1);
    assertThat(again.prev()).isEmpty();
  }

  @Test
  void keysAndValuesMayHoldAnyBytes() {
    byte[] allBytes = new byte[256];
    for (int i = 0; i < 256; i++) {
      allBytes[i] = (byte) i;
    }
    Bytes binaryKey = prefix.concat(Bytes.wrap(new byte[] {0, (byte) 0xff, (byte) 0xc3, 0x28, 0}));
    Bytes binaryValue = Bytes.wrap(allBytes);

    written(store.create(binaryKey, binaryValue));
    written(store.create(key("empty"), Bytes.EMPTY));

    assertThat(store.get(binaryKey).orElseThrow().value()).isEqualTo(binaryValue);
    assertThat(store.get(key("empty")).orElseThrow().value()).isEqualTo(Bytes.EMPTY);
    assertThat(keys(store.range(RangeRequest.prefix(prefix))))
        .containsExactlyInAnyOrder(binaryKey, key("empty"));
  }

  @Test
  void aPrefixEndingIn0xffCoversExactlyItsKeys() {
    Bytes ffPrefix = prefix.concat(Bytes.wrap(new byte[] {'p', (byte) 0xff}));
    Bytes inside1 = ffPrefix.concat(Bytes.wrap(new byte[] {0}));
    Bytes inside2 = ffPrefix.concat(Bytes.wrap(new byte[] {(byte) 0xff, (byte) 0xff}));
    Bytes below = prefix.concat(Bytes.wrap(new byte[] {'p', (byte) 0xfe, (byte) 0xff}));
    Bytes above = prefix.concat(Bytes.wrap(new byte[] {'q'}));
    for (Bytes k : List.of(inside1, inside2, below, above)) {
      written(store.create(k, text("v")));
    }

    assertThat(keys(store.range(RangeRequest.prefix(ffPrefix)))).containsExactly(inside1, inside2);
    assertThat(store.range(RangeRequest.prefix(prefix)).count()).isEqualTo(4);
  }

  @Test
  void valuesUpToTheLimitAreStoredAndLargerOnesAreRefusedWithoutWriting() {
    byte[] max = new byte[Store.MAX_VALUE_BYTES];
    Arrays.fill(max, (byte) 'x');
    max[max.length - 1] = 'y';
    written(store.create(key("max"), Bytes.wrap(max)));
    assertThat(store.get(key("max")).orElseThrow().value().size()).isEqualTo(max.length);
    long before = store.currentRevision();

    assertThatThrownBy(() -> store.create(key("big"), Bytes.wrap(new byte[max.length + 1])))
        .isInstanceOf(ValueTooLargeException.class)
        .hasMessageContaining("1.5 MiB");
    long current = store.get(key("max")).orElseThrow().modRevision();
    assertThatThrownBy(
            () -> store.update(key("max"), Bytes.wrap(new byte[max.length + 1]), current))
        .isInstanceOf(ValueTooLargeException.class);

    assertThat(store.currentRevision()).isEqualTo(before);
    assertThat(store.get(key("big"))).isEmpty();
    assertThat(store.get(key("max")).orElseThrow().value().byteAt(max.length - 1))
        .isEqualTo((byte) 'y');
  }

  @Test
  void anEmptyKeyIsRefused() {
    assertThatThrownBy(() -> store.create(Bytes.EMPTY, text("v")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentUpdatesAtTheSameRevisionHaveExactlyOneWinner() throws Exception {
    Written created = written(store.create(key("contended"), text("0")));
    int writers = 16;
    List<WriteResult> results = race(writers, i -> store.update(key("contended"), text("w" + i),
        created.revision()));

    List<Written> winners = results.stream()
        .filter(Written.class::isInstance).map(Written.class::cast).toList();
    assertThat(winners).hasSize(1);
    assertThat(results).filteredOn(RevisionMismatch.class::isInstance).hasSize(writers - 1);
    assertThat(store.get(key("contended")).orElseThrow()).isEqualTo(winners.getFirst().kv());
  }

  @Test
  void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
    int writers = 16;
    List<WriteResult> results = race(writers, i -> store.create(key("new"), text("w" + i)));

    assertThat(results).filteredOn(Written.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(AlreadyExists.class::isInstance).hasSize(writers - 1);
  }

  @Test
  void concurrentWritersGetDistinctConsecutiveRevisions() throws Exception {
    long before = store.currentRevision();
    int writers = 8;
    int each = 50;
    List<WriteResult> results = race(writers * each,
        i -> store.create(key("k" + i), text("v" + i)));

    Set<Long> revisions = new TreeSet<>();
    results.forEach(r -> revisions.add(written(r).revision()));
    assertThat(revisions).hasSize(writers * each);
    assertThat(revisions).first().isEqualTo(before + 1);
    assertThat(((TreeSet<Long>) revisions).last()).isEqualTo(before + writers * each);
  }

  // ---- reads ----

  @Test
  void aReadAtAPastRevisionSeesTheValueOfThatTime() {
    long beforeCreate = store.currentRevision();
    Written v1 = written(store.create(key("a"), text("1")));
    written(store.update(key("a"), text("2"), v1.revision()));

    RangeResult old = store.range(RangeRequest.single(key("a")).atRevision(v1.revision()));
    RangeResult none = store.range(RangeRequest.single(key("a")).atRevision(beforeCreate));

    assertThat(old.kvs()).containsExactly(v1.kv());
    assertThat(old.revision()).isEqualTo(v1.revision());
    assertThat(none.kvs()).isEmpty();
  }

  @Test
  void aPrefixRangeReturnsOnlyItsKeysInOrderWithTheReadRevision() {
    for (String k : List.of("c", "a", "b")) {
      written(store.create(key(k), text(k)));
    }
    // "/conformance/<id>0" sorts right after every key under "/conformance/<id>/".
    Bytes outside = Bytes.of(prefix.toStringUtf8().replaceAll("/$", "0"));
    written(store.create(outside, text("outside")));
    try {
      RangeResult result = store.range(RangeRequest.prefix(prefix));

      assertThat(keys(result)).containsExactly(key("a"), key("b"), key("c"));
      assertThat(result.count()).isEqualTo(3);
      assertThat(result.more()).isFalse();
      assertThat(result.revision()).isEqualTo(store.currentRevision());
    } finally {
      store.delete(outside, store.get(outside).orElseThrow().modRevision());
    }
  }

  @Test
  void pagesReadAtTheFirstPagesRevisionIgnoreLaterWrites() {
    List<Bytes> all = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      all.add(key(String.format("k%02d", i)));
      written(store.create(all.getLast(), text("v" + i)));
    }

    RangeResult first = store.range(RangeRequest.prefix(prefix).withLimit(10));
    // Changes after the first page must not show in later pages read at its revision.
    KeyValue k15 = store.get(key("k15")).orElseThrow();
    written(store.delete(key("k15"), k15.modRevision()));
    written(store.create(key("k12a"), text("late")));

    List<Bytes> seen = new ArrayList<>(keys(first));
    assertThat(first.more()).isTrue();
    assertThat(first.count()).isEqualTo(25);
    RangeResult page = first;
    int pages = 1;
    while (page.more()) {
      RangeRequest next = RangeRequest.prefix(prefix).withLimit(10)
          .startingAt(page.kvs().getLast().key().successor()).atRevision(first.revision());
      page = store.range(next);
      assertThat(page.revision()).isEqualTo(first.revision());
      seen.addAll(keys(page));
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(all);
  }

  @Test
  void aCountOnlyRangeReturnsTheCountWithoutValues() {
    for (int i = 0; i < 7; i++) {
      written(store.create(key("k" + i), text("v")));
    }

    RangeResult counted = store.range(RangeRequest.prefix(prefix).counting());

    assertThat(counted.count()).isEqualTo(7);
    assertThat(counted.kvs()).isEmpty();
  }

  @Test
  void aRangeAtAPastRevisionShowsDeletedKeysAndHidesLaterOnes() {
    Written a = written(store.create(key("a"), text("1")));
    written(store.create(key("b"), text("1")));
    long then = store.currentRevision();
    written(store.delete(key("a"), a.revision()));
    written(store.create(key("c"), text("1")));

    assertThat(keys(store.range(RangeRequest.prefix(prefix).atRevision(then))))
        .containsExactly(key("a"), key("b"));
    assertThat(keys(store.range(RangeRequest.prefix(prefix))))
        .containsExactly(key("b"), key("c"));
  }

  @Test
  void aReadAtAFutureRevisionFails() {
    long current = store.currentRevision();

    assertThatThrownBy(() -> store.range(RangeRequest.prefix(prefix).atRevision(current + 10)))
        .isInstanceOfSatisfying(FutureRevisionException.class,
            e -> assertThat(e.currentRevision()).isEqualTo(current));
  }

  // ---- compaction ----

  @Test
  void compactionRemovesOldRevisionsForReadsAndWatches() throws Exception {
    Written v1 = written(store.create(key("a"), text("1")));
    Written v2 = written(store.update(key("a"), text("2"), v1.revision()));
    Written b = written(store.create(key("b"), text("1")));
    written(store.delete(key("b"), b.revision()));
    long compactAt = store.currentRevision();
    Written v3 = written(store.update(key("a"), text("3"), v2.revision()));

    store.compact(compactAt);

    assertThatThrownBy(() -> store.range(RangeRequest.prefix(prefix).atRevision(v1.revision())))
        .isInstanceOfSatisfying(CompactedException.class,
            e -> assertThat(e.compactRevision()).isEqualTo(compactAt));
    assertThat(store.range(RangeRequest.prefix(prefix).atRevision(compactAt)).kvs())
        .containsExactly(v2.kv());
    assertThat(store.range(RangeRequest.prefix(prefix)).kvs()).containsExactly(v3.kv());

    Watch old = watch(WatchRequest.prefix(prefix, v1.revision()));
    WatchResponse first = old.poll(WAIT);
    assertThat(first).isInstanceOfSatisfying(Ended.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.COMPACTED);
      assertThat(e.compactRevision()).isEqualTo(compactAt);
    });

    Watch fresh = watch(WatchRequest.prefix(prefix, compactAt + 1));
    assertThat(collect(fresh, 1)).extracting(Event::kv).containsExactly(v3.kv());
  }

  @Test
  void compactingAgainAtOrBelowTheCompactRevisionDoesNothingAndTheFutureFails() {
    Written v1 = written(store.create(key("a"), text("1")));
    written(store.update(key("a"), text("2"), v1.revision()));
    long current = store.currentRevision();
    store.compact(current);

    store.compact(current);
    store.compact(v1.revision());

    assertThat(store.get(key("a")).orElseThrow().value()).isEqualTo(text("2"));
    assertThatThrownBy(() -> store.compact(current + 100))
        .isInstanceOf(FutureRevisionException.class);
  }

  // ---- watches ----

  @Test
  void aWatchFromAPastRevisionReplaysHistoryThenDeliversLiveEvents() throws Exception {
    Written a1 = written(store.create(key("a"), text("1")));
    Written a2 = written(store.update(key("a"), text("2"), a1.revision()));
    Written b1 = written(store.create(key("b"), text("1")));
    Written aDel = written(store.delete(key("a"), a2.revision()));

    Watch w = watch(WatchRequest.prefix(prefix, a1.revision()));
    List<Event> history = collect(w, 4);

    assertThat(history).containsExactly(
        new Event(Event.Type.PUT, a1.kv(), Optional.empty()),
        new Event(Event.Type.PUT, a2.kv(), Optional.of(a1.kv())),
        new Event(Event.Type.PUT, b1.kv(), Optional.empty()),
        new Event(Event.Type.DELETE, aDel.kv(), Optional.of(a2.kv())));
    assertThat(history.getFirst().isCreate()).isTrue();
    assertThat(history.get(1).isCreate()).isFalse();

    Written b2 = written(store.update(key("b"), text("2"), b1.revision()));
    assertThat(collect(w, 1))
        .containsExactly(new Event(Event.Type.PUT, b2.kv(), Optional.of(b1.kv())));
  }

  @Test
  void aWatchFromZeroSeesOnlyLaterWrites() throws Exception {
    written(store.create(key("before"), text("1")));

    Watch w = watch(WatchRequest.prefix(prefix, 0));
    Written after = written(store.create(key("after"), text("1")));

    assertThat(collect(w, 1)).extracting(Event::kv).containsExactly(after.kv());
  }

  @Test
  void aWatchSeesOnlyItsRangeAndASingleKeyWatchOnlyItsKey() throws Exception {
    long start = store.currentRevision() + 1;
    Watch sub = watch(WatchRequest.prefix(key("sub/"), start));
    Watch single = watch(WatchRequest.single(key("x"), start));

    written(store.create(key("other"), text("1")));
    Written inSub = written(store.create(key("sub/1"), text("1")));
    written(store.create(key("x2"), text("1")));
    Written x = written(store.create(key("x"), text("1")));

    assertThat(collect(sub, 1)).extracting(Event::kv).containsExactly(inSub.kv());
    assertThat(collect(single, 1)).extracting(Event::kv).containsExactly(x.kv());
    assertNothingMore(sub);
    assertNothingMore(single);
  }

  @Test
  void withoutPrevKvEventsCarryNoPreviousValue() throws Exception {
    Written a1 = written(store.create(key("a"), text("1")));
    Watch w = watch(WatchRequest.prefix(prefix, a1.revision() + 1).withPrevKv(false));
    Written a2 = written(store.update(key("a"), text("2"), a1.revision()));

    assertThat(collect(w, 1))
        .containsExactly(new Event(Event.Type.PUT, a2.kv(), Optional.empty()));
  }

  @Test
  void failedConditionsProduceNoEvents() throws Exception {
    Written a1 = written(store.create(key("a"), text("1")));
    Watch w = watch(WatchRequest.prefix(prefix, a1.revision() + 1));

    store.create(key("a"), text("again"));
    store.update(key("a"), text("stale"), a1.revision() - 1);
    store.delete(key("missing"), 1);
    Written a2 = written(store.update(key("a"), text("2"), a1.revision()));

    assertThat(collect(w, 1)).extracting(Event::kv).containsExactly(a2.kv());
  }

  @Test
  void watchersSeeEveryWriteOnceInOrderWhileWritersRace() throws Exception {
    int writers = 4;
    int each = 100;
    long start = store.currentRevision() + 1;
    Watch fromStart = watch(WatchRequest.prefix(prefix, start));
    ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    CountDownLatch halfway = new CountDownLatch(writers * each / 2);

    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < writers; t++) {
        int thread = t;
        pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            acknowledged.add(
                written(store.create(key("t" + thread + "/" + i), text("v"))).revision());
            halfway.countDown();
          }
          return null;
        });
      }
      // A watch that starts mid-stream from a revision already written must stitch history
      // and live events with no gap and no duplicate.
      assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
      long midRevision = store.currentRevision() - 20;
      Watch fromMiddle = watch(WatchRequest.prefix(prefix, midRevision));
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      List<Long> all = new ArrayList<>(new TreeSet<>(acknowledged));
      assertThat(all).hasSize(writers * each);
      assertThat(revisions(collect(fromStart, all.size()))).containsExactlyElementsOf(all);
      List<Long> fromMid = all.stream().filter(r -> r >= midRevision).toList();
      assertThat(revisions(collect(fromMiddle, fromMid.size())))
          .containsExactlyElementsOf(fromMid);
      assertNothingMore(fromStart);
    }
  }

  @Test
  void requestedProgressReportsARevisionCoveringEverythingDelivered() throws Exception {
    Watch w = watch(WatchRequest.prefix(prefix, 0));
    Written a = written(store.create(key("a"), text("1")));
    assertThat(collect(w, 1)).extracting(Event::kv).containsExactly(a.kv());

    w.requestProgress();
    Progress progress = nextProgress(w);

    assertThat(progress.revision()).isGreaterThanOrEqualTo(a.revision());
    assertThat(progress.revision()).isLessThanOrEqualTo(store.currentRevision());
  }

  @Test
  void progressNeverOvertakesUndeliveredEvents() throws Exception {
    Watch w = watch(WatchRequest.prefix(prefix, 0));
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      written.add(written(store.create(key("k" + i), text("v"))).revision());
      if (i % 10 == 0) {
        w.requestProgress();
      }
    }
    w.requestProgress();

    // Read until the last write arrived and a progress at or beyond it followed.
    List<Long> delivered = new ArrayList<>();
    long lastProgress = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (lastProgress < written.getLast()) {
      assertThat(System.nanoTime()).as("progress covering the last write").isLessThan(deadline);
      WatchResponse r = w.poll(Duration.ofMillis(200));
      switch (r) {
        case null -> w.requestProgress();
        case Events e -> {
          for (Event ev : e.events()) {
            assertThat(ev.revision()).as("event after progress").isGreaterThan(lastProgress);
            delivered.add(ev.revision());
          }
        }
        case Progress p -> {
          long upTo = p.revision();
          assertThat(written.stream().filter(rev -> rev <= upTo).toList())
              .as("events at or below progress %d", upTo).isSubsetOf(delivered);
          lastProgress = Math.max(lastProgress, upTo);
        }
        case Ended e -> fail("watch ended: %s", e);
      }
    }
    assertThat(delivered).containsExactlyElementsOf(written);
  }

  @Test
  void anIdleWatchGetsPeriodicProgress() throws Exception {
    Written a = written(store.create(key("a"), text("1")));
    Watch w = watch(WatchRequest.prefix(prefix, a.revision() + 1)
        .withProgressInterval(Duration.ofMillis(200)));

    Progress progress = nextProgress(w);

    assertThat(progress.revision()).isGreaterThanOrEqualTo(a.revision());
  }

  @Test
  void aSlowWatcherIsEndedWithOverflowWithoutHoldingUpWritersOrOthers() throws Exception {
    long start = store.currentRevision() + 1;
    Watch slow = watch(WatchRequest.prefix(prefix, start).withMaxPendingEvents(16));
    Watch fast = watch(WatchRequest.prefix(prefix, start));
    int writes = 300;
    List<Long> revisions = new ArrayList<>();
    List<Event> fastEvents = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      revisions.add(written(store.create(key("k" + i), text("v"))).revision());
      drainAvailable(fast, fastEvents);
    }
    fastEvents.addAll(collect(fast, writes - fastEvents.size()));
    assertThat(revisions(fastEvents)).containsExactlyElementsOf(revisions);

    // The slow reader gets at most its buffer's worth, then the end: no gap, no silent stall.
    List<Long> slowSeen = new ArrayList<>();
    Ended end = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (end == null && System.nanoTime() < deadline) {
      switch (slow.poll(Duration.ofMillis(200))) {
        case null -> { }
        case Events e -> slowSeen.addAll(revisions(e.events()));
        case Progress p -> { }
        case Ended e -> end = e;
      }
    }
    assertThat(end).as("slow watch ended").isNotNull();
    assertThat(end.reason()).isEqualTo(Reason.OVERFLOW);
    assertThat(slowSeen.size()).isLessThan(writes);
    assertThat(slowSeen).containsExactlyElementsOf(revisions.subList(0, slowSeen.size()));
    assertThat(slow.poll(Duration.ZERO)).isEqualTo(end);

    // Recovery: list again, then watch from the list's revision + 1.
    RangeResult relist = store.range(RangeRequest.prefix(prefix));
    assertThat(relist.count()).isEqualTo(writes);
    Watch resumed = watch(WatchRequest.prefix(prefix, relist.revision() + 1));
    Written next = written(store.create(key("after"), text("v")));
    assertThat(collect(resumed, 1)).extracting(Event::kv).containsExactly(next.kv());
  }

  @Test
  void aClosedWatchReportsClosedForever() throws Exception {
    Watch w = watch(WatchRequest.prefix(prefix, 0));

    w.close();
    w.close();

    WatchResponse first = w.poll(WAIT);
    assertThat(first).isInstanceOfSatisfying(Ended.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
    assertThat(w.poll(Duration.ZERO)).isEqualTo(first);
  }

  @Test
  void closingTheStoreEndsItsWatchesWithFailed() throws Exception {
    Store second = newStore();
    Watch w = second.watch(WatchRequest.prefix(prefix, 0));

    second.close();

    WatchResponse r = w.poll(WAIT);
    assertThat(r).isInstanceOfSatisfying(Ended.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.FAILED));
    assertThatThrownBy(() -> second.create(key("x"), text("v")))
        .isInstanceOf(StoreException.class);
  }

  // ---- helpers ----

  protected Bytes key(String name) {
    return prefix.concat(Bytes.of(name));
  }

  protected static Bytes text(String s) {
    return Bytes.of(s);
  }

  protected static Written written(WriteResult result) {
    assertThat(result).isInstanceOf(Written.class);
    return (Written) result;
  }

  private Watch watch(WatchRequest request) {
    Watch w = store.watch(request);
    watches.add(w);
    return w;
  }

  private static List<Bytes> keys(RangeResult result) {
    return result.kvs().stream().map(KeyValue::key).toList();
  }

  private static List<Long> revisions(List<Event> events) {
    return events.stream().map(Event::revision).toList();
  }

  /** Exactly {@code n} events, skipping progress; fails on an end or after {@link #WAIT}. */
  protected static List<Event> collect(Watch w, int n) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (out.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("expected %d events within %s, got %d: %s", n, WAIT, out.size(), out);
      }
      switch (w.poll(Duration.ofNanos(left))) {
        case null -> { }
        case Events e -> out.addAll(e.events());
        case Progress p -> { }
        case Ended e -> fail("watch ended after %d of %d events: %s", out.size(), n, e);
      }
    }
    assertThat(out).as("more events than expected").hasSize(n);
    return out;
  }

  private static void drainAvailable(Watch w, List<Event> into) throws InterruptedException {
    for (WatchResponse r = w.poll(Duration.ZERO); r != null; r = w.poll(Duration.ZERO)) {
      if (r instanceof Events e) {
        into.addAll(e.events());
      } else if (r instanceof Ended e) {
        fail("watch ended: %s", e);
      }
    }
  }

  private static Progress nextProgress(Watch w) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      switch (w.poll(Duration.ofMillis(100))) {
        case Progress p -> {
          return p;
        }
        case Ended e -> fail("watch ended: %s", e);
        case null, default -> { }
      }
    }
    return fail("no progress notification within %s", WAIT);
  }

  private static void assertNothingMore(Watch w) throws InterruptedException {
    WatchResponse r;
    long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
    while ((r = w.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) != null) {
      assertThat(r).as("unexpected response").isInstanceOf(Progress.class);
    }
  }

  private interface IndexedWrite {
    WriteResult write(int index);
  }

  /** Runs {@code n} writes at once on virtual threads, released together. */
  private static List<WriteResult> race(int n, IndexedWrite write) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<WriteResult>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          go.await();
          return write.write(index);
        }));
      }
      go.countDown();
      List<WriteResult> results = new ArrayList<>();
      for (Future<WriteResult> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    }
  }
}
