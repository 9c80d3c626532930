package dev.skiff.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.StoreException;
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

  /**
   * etcd compares a missing key's mod revision as 0, so a bare {@code modRevision == 0}
   * condition would let an update create the key and a delete "succeed"; the store also
   * requires the key to exist.
   */
  @Test
  void expectedRevisionZeroNeverMatchesAMissingKey() {
    long before = store.currentRevision();

    assertThat(store.update(key("missing"), Bytes.of("x"), 0)).isInstanceOf(WriteResult.NotFound.class);
    assertThat(store.delete(key("missing"), 0)).isInstanceOf(WriteResult.NotFound.class);

    assertThat(store.get(key("missing"))).isEmpty();
    assertThat(store.currentRevision()).isEqualTo(before);
  }

  @Test
  void watchDeliversEventsThenProgressAfterThem() throws Exception {
    long start = store.currentRevision() + 1;
    try (Watch watch = store.watch(WatchRequest.prefix(prefix, start))) {
      long created = store.create(key("x"), Bytes.of("1")).revision();
      long updated = store.update(key("x"), Bytes.of("2"), created).revision();
      long last = store.delete(key("x"), updated).revision();
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
      assertThatThrownBy(() -> other.get(key("before"))).isInstanceOf(StoreException.class);
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
