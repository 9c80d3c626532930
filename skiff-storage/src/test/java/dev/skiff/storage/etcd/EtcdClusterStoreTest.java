package dev.skiff.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.StoreException;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import dev.skiff.storage.WriteResult;
import dev.skiff.testkit.EtcdCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 3-member etcd cluster loses its leader to SIGKILL in the middle of a write load; every write
 * that was acknowledged must survive with its value and revision, and a watch must never skip.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EtcdClusterStoreTest {
  private static final int WRITERS = 6;
  private static final int WRITES_PER_WRITER = 500;
  private static final int KILL_AFTER_ACKS = WRITERS * WRITES_PER_WRITER / 3;
  private static final Duration LOAD_DEADLINE = Duration.ofSeconds(90);
  private static final Bytes PREFIX = Bytes.of("/load/");

  /** A write whose outcome is known: the key holds this value at this revision. */
  private record Ack(Bytes key, Bytes value, long revision) {}

  @Test
  void acknowledgedWritesSurviveTheLeadersCrash() throws Exception {
    long t0 = System.nanoTime();
    try (EtcdCluster cluster = EtcdCluster.start(3)) {
      long startedMs = (System.nanoTime() - t0) / 1_000_000;
      AtomicInteger killed = new AtomicInteger(-1);
      Map<Bytes, Ack> acks = new ConcurrentHashMap<>();
      AtomicInteger unknownOutcomes = new AtomicInteger();
      AtomicLong killedAtAcks = new AtomicLong(-1);
      long loadStart = System.nanoTime();
      long deadline = loadStart + LOAD_DEADLINE.toNanos();

      try (EtcdStore store = EtcdStore.connect(cluster.endpoints(), Duration.ofSeconds(10))) {
        long startRevision = store.currentRevision() + 1;
        Watch watch = store.watch(WatchRequest.prefix(PREFIX, startRevision).withPrevKv(false));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<?>> writers = new ArrayList<>();
          for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(
                pool.submit(
                    () -> {
                      for (int i = 0; i < WRITES_PER_WRITER && System.nanoTime() < deadline; i++) {
                        Bytes key = PREFIX.concat(Bytes.of("w" + writer + "/" + i));
                        Bytes value = Bytes.of("value-" + writer + "-" + i);
                        Ack ack = createUntilKnown(store, key, value, deadline, unknownOutcomes);
                        if (ack != null) {
                          acks.put(key, ack);
                        }
                        if (acks.size() >= KILL_AFTER_ACKS
                            && killedAtAcks.compareAndSet(-1, acks.size())) {
                          // ask at kill time: the leader is the member whose loss hurts most
                          killed.set(cluster.leader().orElse(0));
                          cluster.kill(killed.get());
                        }
                      }
                      return null;
                    }));
          }
          for (Future<?> f : writers) {
            f.get(LOAD_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
          }
        }
        long loadMs = (System.nanoTime() - loadStart) / 1_000_000;

        // every acknowledged write is there, with its value and revision
        Map<Bytes, KeyValue> stored = new ConcurrentHashMap<>();
        for (KeyValue kv : store.range(RangeRequest.prefix(PREFIX)).kvs()) {
          stored.put(kv.key(), kv);
        }
        assertThat(killedAtAcks.get()).as("the leader was killed mid-load").isPositive();
        int leader = killed.get();
        assertThat(cluster.isAlive(leader)).isFalse();
        assertThat(acks).hasSize(WRITERS * WRITES_PER_WRITER);
        for (Ack ack : acks.values()) {
          KeyValue kv = stored.get(ack.key());
          assertThat(kv).as("acknowledged %s", ack.key()).isNotNull();
          assertThat(kv.value()).isEqualTo(ack.value());
          assertThat(kv.modRevision()).isEqualTo(ack.revision());
          assertThat(kv.version()).isEqualTo(1);
        }
        assertThat(stored).hasSameSizeAs(acks);
        assertThat(new TreeSet<>(acks.values().stream().map(Ack::revision).toList()))
            .hasSize(acks.size());

        List<Long> watched = drain(watch);
        // the watch either saw everything or ended FAILED when its member died; in both cases
        // what it delivered is exactly the acknowledged revisions up to its last one, in order
        List<Long> expected =
            new TreeSet<>(acks.values().stream().map(Ack::revision).toList())
                .stream()
                .filter(r -> watched.isEmpty() || r <= watched.getLast())
                .toList();
        assertThat(watched).containsExactlyElementsOf(expected);

        // the crashed member comes back and catches up
        cluster.restart(leader);
        try (EtcdStore onlyRestarted =
            EtcdStore.connect(List.of(cluster.member(leader).clientUri()))) {
          assertThat(onlyRestarted.range(RangeRequest.prefix(PREFIX).counting()).count())
              .isEqualTo(acks.size());
        }
        System.out.printf(
            "cluster healthy after %d ms; %d creates by %d writers in %d ms; leader m%d killed"
                + " after %d acks; %d writes of unknown outcome resolved by reading; watch"
                + " delivered %d events%n",
            startedMs,
            acks.size(),
            WRITERS,
            loadMs,
            leader,
            killedAtAcks.get(),
            unknownOutcomes.get(),
            watched.size());
      }
    }
  }

  /**
   * Creates {@code key}; when the outcome is unknown (the connection failed mid-request), reads
   * the key back to learn whether the create happened, and tries again if it did not.
   */
  private static Ack createUntilKnown(
      EtcdStore store, Bytes key, Bytes value, long deadline, AtomicInteger unknownOutcomes)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      try {
        switch (store.create(key, value)) {
          case WriteResult.Written w -> {
            return new Ack(key, value, w.revision());
          }
          case WriteResult.AlreadyExists e -> {
            // only this writer writes this key: an earlier attempt of ours did it
            assertThat(e.current().value()).isEqualTo(value);
            return new Ack(key, value, e.current().modRevision());
          }
          case WriteResult r -> throw new AssertionError("unexpected " + r);
        }
      } catch (StoreException unknown) {
        unknownOutcomes.incrementAndGet();
      }
      Optional<KeyValue> found = readBack(store, key, deadline);
      if (found.isPresent()) {
        assertThat(found.get().value()).isEqualTo(value);
        return new Ack(key, value, found.get().modRevision());
      }
    }
    return null;
  }

  private static Optional<KeyValue> readBack(EtcdStore store, Bytes key, long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      try {
        return store.get(key);
      } catch (StoreException e) {
        Thread.sleep(50);
      }
    }
    return Optional.empty();
  }

  /** The revisions a watch delivered until it went quiet or ended. */
  private static List<Long> drain(Watch watch) throws InterruptedException {
    List<Long> revisions = new ArrayList<>();
    try (watch) {
      WatchResponse r;
      while ((r = watch.poll(Duration.ofSeconds(2))) != null) {
        if (r instanceof WatchResponse.Events e) {
          e.events().stream().map(Event::revision).forEach(revisions::add);
        } else if (r instanceof WatchResponse.Ended e) {
          assertThat(e.reason()).isEqualTo(WatchResponse.Reason.FAILED);
          break;
        }
      }
    }
    return revisions;
  }
}
