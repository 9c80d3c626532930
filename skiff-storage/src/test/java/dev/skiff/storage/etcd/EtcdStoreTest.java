package dev.skiff.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.CompactedException;
import dev.skiff.storage.Event;
import dev.skiff.storage.FutureRevisionException;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.ValueTooLargeException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import dev.skiff.storage.WriteResult;
import dev.skiff.testkit.EtcdProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** etcd-specific behaviour of {@link EtcdStore} against a real etcd process. */
class EtcdStoreTest {
  private static EtcdProcess etcd;
  private static EtcdStore store;
  private Bytes prefix;

  @BeforeAll
  static void startEtcd() {
    long started = System.nanoTime();
    etcd = EtcdProcess.start();
    System.out.printf("etcd healthy after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    store = EtcdStore.connect(etcd.endpoints());
  }

  @AfterAll
  static void stopEtcd() {
    if (store != null) {
      store.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @BeforeEach
  void uniquePrefix() {
    prefix = Bytes.of("/t/" + UUID.randomUUID() + "/");
  }

  private Bytes key(String name) {
    return prefix.concat(Bytes.of(name));
  }

  @Test
  void createUpdateDeleteMapOutcomes() {
    WriteResult.Written created = (WriteResult.Written) store.create(key("a"), Bytes.of("1"));
    assertThat(created.kv().createRevision()).isEqualTo(created.revision());
    assertThat(created.kv().version()).isEqualTo(1);
    assertThat(created.prev()).isEmpty();

    assertThat(store.create(key("a"), Bytes.of("2")))
        .isInstanceOfSatisfying(
            WriteResult.AlreadyExists.class,
            r -> assertThat(r.current().value()).isEqualTo(Bytes.of("1")));

    assertThat(store.update(key("a"), Bytes.of("2"), created.revision() - 1))
        .isInstanceOfSatisfying(
            WriteResult.RevisionMismatch.class,
            r -> assertThat(r.current().modRevision()).isEqualTo(created.revision()));
    // expected revision 0 must not create a missing key
    assertThat(store.update(key("missing"), Bytes.of("x"), 0)).isInstanceOf(WriteResult.NotFound.class);
    assertThat(store.get(key("missing"))).isEmpty();

    WriteResult.Written updated =
        (WriteResult.Written) store.update(key("a"), Bytes.of("2"), created.revision());
    assertThat(updated.revision()).isEqualTo(created.revision() + 1);
    assertThat(updated.kv().version()).isEqualTo(2);
    assertThat(updated.kv().createRevision()).isEqualTo(created.revision());
    assertThat(updated.prev().orElseThrow().value()).isEqualTo(Bytes.of("1"));

    assertThat(store.delete(key("missing"), 0)).isInstanceOf(WriteResult.NotFound.class);
    WriteResult.Written deleted = (WriteResult.Written) store.delete(key("a"), updated.revision());
    assertThat(deleted.kv().modRevision()).isEqualTo(deleted.revision());
    assertThat(deleted.kv().value()).isEqualTo(Bytes.EMPTY);
    assertThat(deleted.prev().orElseThrow().value()).isEqualTo(Bytes.of("2"));
    assertThat(store.currentRevision()).isGreaterThanOrEqualTo(deleted.revision());
  }

  @Test
  void rangeWithLimitCountAndPastRevision() {
    long first = 0;
    for (int i = 0; i < 5; i++) {
      long rev = store.create(key("k" + i), Bytes.of("v" + i)).revision();
      if (i == 0) {
        first = rev;
      }
    }
    RangeResult page = store.range(RangeRequest.prefix(prefix).withLimit(2));
    assertThat(page.kvs()).extracting(kv -> kv.key().toStringUtf8()).containsExactly(
        key("k0").toStringUtf8(), key("k1").toStringUtf8());
    assertThat(page.more()).isTrue();
    assertThat(page.count()).isEqualTo(5);
    RangeResult rest =
        store.range(
            RangeRequest.prefix(prefix).startingAt(page.kvs().getLast().key().successor()).atRevision(page.revision()));
    assertThat(rest.kvs()).hasSize(3);
    assertThat(rest.revision()).isEqualTo(page.revision());
    assertThat(store.range(RangeRequest.prefix(prefix).counting()).count()).isEqualTo(5);
    assertThat(store.range(RangeRequest.prefix(prefix).atRevision(first)).kvs()).hasSize(1);
  }

  @Test
  void futureAndCompactedRevisionsMapToExceptions() {
    long rev = store.create(key("c"), Bytes.of("1")).revision();
    store.update(key("c"), Bytes.of("2"), rev);
    long current = store.currentRevision();
    assertThatThrownBy(() -> store.range(RangeRequest.single(key("c")).atRevision(current + 10)))
        .isInstanceOfSatisfying(
            FutureRevisionException.class,
            e -> assertThat(e.currentRevision()).isGreaterThanOrEqualTo(current));
    assertThatThrownBy(() -> store.compact(current + 10)).isInstanceOf(FutureRevisionException.class);

    store.compact(current);
    store.compact(current - 1); // below the compact revision: nothing happens
    assertThatThrownBy(() -> store.range(RangeRequest.single(key("c")).atRevision(rev)))
        .isInstanceOfSatisfying(
            CompactedException.class, e -> assertThat(e.compactRevision()).isEqualTo(current));
    assertThat(store.get(key("c")).orElseThrow().value()).isEqualTo(Bytes.of("2"));
  }

  @Test
  void watchFromCompactedRevisionEndsCompacted() throws Exception {
    long rev = store.create(key("w"), Bytes.of("1")).revision();
    store.update(key("w"), Bytes.of("2"), rev);
    long current = store.currentRevision();
    store.compact(current);
    try (Watch watch = store.watch(WatchRequest.prefix(prefix, rev))) {
      WatchResponse first = watch.poll(Duration.ofSeconds(5));
      assertThat(first)
          .isInstanceOfSatisfying(
              WatchResponse.Ended.class,
              e -> {
                assertThat(e.reason()).isEqualTo(WatchResponse.Reason.COMPACTED);
                assertThat(e.compactRevision()).isGreaterThanOrEqualTo(current);
              });
      assertThat(watch.poll(Duration.ZERO)).isSameAs(first);
    }
  }

  @Test
  void valuesUpToTheLimitFitAndLargerOnesFail() {
    Bytes big = Bytes.wrap(new byte[Store.MAX_VALUE_BYTES]);
    assertThat(store.create(key("big"), big)).isInstanceOf(WriteResult.Written.class);
    assertThat(store.get(key("big")).orElseThrow().value().size()).isEqualTo(Store.MAX_VALUE_BYTES);
    assertThatThrownBy(() -> store.create(key("bigger"), Bytes.wrap(new byte[Store.MAX_VALUE_BYTES + 1])))
        .isInstanceOf(ValueTooLargeException.class);
  }

  @Test
  void watchDeliversEventsThenProgressAfterThem() throws Exception {
    long start = store.currentRevision() + 1;
    try (Watch watch = store.watch(WatchRequest.prefix(prefix, start))) {
      long last = 0;
      WriteResult.Written w = (WriteResult.Written) store.create(key("x"), Bytes.of("1"));
      last = ((WriteResult.Written) store.update(key("x"), Bytes.of("2"), w.revision())).revision();
      last = store.delete(key("x"), last).revision();
      // a write outside the range moves the store on; progress must reach it
      long outside = store.create(Bytes.of("/other/" + UUID.randomUUID()), Bytes.of("o")).revision();
      watch.requestProgress();
      List<Event> events = new ArrayList<>();
      WatchResponse.Progress progress = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (progress == null && System.nanoTime() < deadline) {
        WatchResponse r = watch.poll(Duration.ofSeconds(1));
        if (r instanceof WatchResponse.Events e) {
          events.addAll(e.events());
        } else if (r instanceof WatchResponse.Progress p && p.revision() >= last) {
          progress = p;
        } else if (r instanceof WatchResponse.Ended e) {
          throw new AssertionError("watch ended: " + e);
        }
      }
      assertThat(events).extracting(Event::type)
          .containsExactly(Event.Type.PUT, Event.Type.PUT, Event.Type.DELETE);
      assertThat(events.get(1).prev().orElseThrow().value()).isEqualTo(Bytes.of("1"));
      assertThat(events.get(2).kv().modRevision()).isEqualTo(last);
      assertThat(progress).isNotNull();
      assertThat(progress.revision()).isGreaterThanOrEqualTo(outside);
    }
  }

  @Test
  void periodicProgressReachesIdleWatch() throws Exception {
    WatchRequest request =
        WatchRequest.prefix(prefix, 0).withProgressInterval(Duration.ofMillis(100));
    try (Watch watch = store.watch(request)) {
      long later = store.create(Bytes.of("/other/" + UUID.randomUUID()), Bytes.of("o")).revision();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      long seen = 0;
      while (seen < later && System.nanoTime() < deadline) {
        if (watch.poll(Duration.ofSeconds(1)) instanceof WatchResponse.Progress p) {
          seen = p.revision();
        }
      }
      assertThat(seen).isGreaterThanOrEqualTo(later);
    }
  }

  @Test
  void slowReaderOverflows() throws Exception {
    WatchRequest request = WatchRequest.prefix(prefix, 0).withMaxPendingEvents(5);
    try (Watch watch = store.watch(request)) {
      for (int i = 0; i < 10; i++) {
        store.create(key("o" + i), Bytes.of("v"));
      }
      WatchResponse r;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      do {
        r = watch.poll(Duration.ofSeconds(1));
      } while (!(r instanceof WatchResponse.Ended) && System.nanoTime() < deadline);
      assertThat(r).isInstanceOfSatisfying(
          WatchResponse.Ended.class, e -> assertThat(e.reason()).isEqualTo(WatchResponse.Reason.OVERFLOW));
    }
  }

  @Test
  void closingTheStoreFailsItsWatches() throws Exception {
    try (EtcdStore other = EtcdStore.connect(etcd.endpoints())) {
      Watch watch = other.watch(WatchRequest.prefix(prefix, 0));
      other.close();
      assertThat(watch.poll(Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(
              WatchResponse.Ended.class, e -> assertThat(e.reason()).isEqualTo(WatchResponse.Reason.FAILED));
    }
  }

  @Test
  void losingEtcdFailsWatchesAndRequests() throws Exception {
    try (EtcdProcess doomed = EtcdProcess.start();
        EtcdStore other = EtcdStore.connect(doomed.endpoints(), Duration.ofSeconds(3))) {
      Watch watch = other.watch(WatchRequest.prefix(prefix, 0));
      WriteResult.Written w = (WriteResult.Written) other.create(key("before"), Bytes.of("1"));
      assertThat(watch.poll(Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(
              WatchResponse.Events.class,
              e -> assertThat(e.lastRevision()).isEqualTo(w.revision()));
      doomed.kill();
      assertThat(watch.poll(Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(
              WatchResponse.Ended.class,
              e -> assertThat(e.reason()).isEqualTo(WatchResponse.Reason.FAILED));
      assertThatThrownBy(() -> other.get(key("before"))).isInstanceOf(dev.skiff.storage.StoreException.class);
    }
  }

  /**
   * etcd 3.4.23 answers RequestProgress at once with its current revision, even while it still
   * replays history to the watch (every 100 ms); forwarding that answer would claim undelivered
   * events. The watch must hold progress back until the replay has arrived.
   */
  @Test
  void progressOfAReplayingWatchNeverClaimsUndeliveredHistory() throws Exception {
    List<Long> written = new ArrayList<>();
    long first = 0;
    for (int i = 0; i < 200; i++) {
      WriteResult.Written w = (WriteResult.Written) store.create(key("h" + i), Bytes.of("v"));
      written.add(w.revision());
      if (i % 3 == 0) {
        written.add(store.delete(key("h" + i), w.revision()).revision());
      }
      if (i == 0) {
        first = w.revision();
      }
    }
    try (Watch watch = store.watch(WatchRequest.prefix(prefix, first))) {
      for (int i = 0; i < 5; i++) {
        watch.requestProgress();
      }
      List<Long> delivered = new ArrayList<>();
      long lastProgress = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (lastProgress < written.getLast() && System.nanoTime() < deadline) {
        switch (watch.poll(Duration.ofMillis(200))) {
          case null -> watch.requestProgress();
          case WatchResponse.Events e -> e.events().forEach(ev -> delivered.add(ev.revision()));
          case WatchResponse.Progress p -> {
            long upTo = p.revision();
            assertThat(written.stream().filter(r -> r <= upTo).toList())
                .as("history at or below progress %d", upTo)
                .isSubsetOf(delivered);
            lastProgress = Math.max(lastProgress, upTo);
          }
          case WatchResponse.Ended e -> throw new AssertionError("watch ended: " + e);
        }
      }
      assertThat(delivered).containsExactlyElementsOf(written);
      assertThat(lastProgress).isGreaterThanOrEqualTo(written.getLast());
    }
  }
}
