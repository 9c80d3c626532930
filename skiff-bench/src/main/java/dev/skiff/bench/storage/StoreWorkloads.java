package dev.skiff.bench.storage;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.Event;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WatchResponse;
import dev.skiff.storage.WriteResult;
import dev.skiff.bench.Latency;
import dev.skiff.bench.LatencyRecorder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The storage workloads of issue 2, each bounded in count and time: concurrent creates,
 * concurrent CAS updates, listing 10,000 keys, and write-to-watch delivery delay.
 */
final class StoreWorkloads {
  static final int VALUE_BYTES = 1024;

  /** Throughput and per-operation latency of one run. */
  record Throughput(int writers, int operations, double seconds, double p50Millis, double p99Millis) {
    double perSecond() {
      return operations / seconds;
    }
  }

  private final Store store;
  private final Bytes root;
  private final Duration timeLimit;

  StoreWorkloads(Store store, String runId, Duration timeLimit) {
    this.store = store;
    this.root = Bytes.of("/bench/" + runId + "/");
    this.timeLimit = timeLimit;
  }

  /** {@code total} creates of fresh 1 KiB keys by {@code writers} concurrent writers. */
  Throughput creates(String phase, int writers, int total) throws Exception {
    Bytes value = randomValue();
    AtomicInteger next = new AtomicInteger();
    return runWriters(writers, total, latency -> {
      int i = next.getAndIncrement();
      Bytes key = root.concat(Bytes.of(phase + "/" + i));
      long start = System.nanoTime();
      expectWritten(store.create(key, value));
      latency.record(System.nanoTime() - start);
    });
  }

  /**
   * {@code total} compare-and-swap updates by {@code writers} writers, each updating its own key
   * with the mod revision its previous write returned (no contention, every CAS succeeds).
   */
  Throughput casUpdates(String phase, int writers, int total) throws Exception {
    Bytes value = randomValue();
    long[] revisions = new long[writers];
    for (int w = 0; w < writers; w++) {
      revisions[w] = expectWritten(store.create(casKey(phase, w), value)).revision();
    }
    AtomicInteger writerIds = new AtomicInteger();
    ThreadLocal<Integer> mine = ThreadLocal.withInitial(writerIds::getAndIncrement);
    return runWriters(writers, total, latency -> {
      int w = mine.get();
      long start = System.nanoTime();
      revisions[w] = expectWritten(store.update(casKey(phase, w), value, revisions[w])).revision();
      latency.record(System.nanoTime() - start);
    });
  }

  /** Fills {@code count} keys, then times full lists of them (no limit, and pages of 500). */
  record ListTimes(Latency full, Latency paged) {}

  ListTimes lists(int count, int repetitions) throws Exception {
    creates("list", 64, count);
    Bytes prefix = root.concat(Bytes.of("list/"));
    LatencyRecorder full = new LatencyRecorder(repetitions);
    LatencyRecorder paged = new LatencyRecorder(repetitions);
    long deadline = System.nanoTime() + timeLimit.toNanos();
    for (int r = 0; r < repetitions && System.nanoTime() < deadline; r++) {
      long start = System.nanoTime();
      RangeResult all = store.range(RangeRequest.prefix(prefix));
      full.record(System.nanoTime() - start);
      check(all.kvs().size() == count, "listed " + all.kvs().size() + " of " + count);

      start = System.nanoTime();
      int seen = 0;
      RangeRequest page = RangeRequest.prefix(prefix).withLimit(500);
      RangeResult result;
      do {
        result = store.range(page);
        seen += result.kvs().size();
        page = page.atRevision(result.revision())
            .startingAt(result.kvs().isEmpty() ? page.key() : result.kvs().getLast().key().successor());
      } while (result.more());
      paged.record(System.nanoTime() - start);
      check(seen == count, "paged through " + seen + " of " + count);
    }
    return new ListTimes(Latency.of(full), Latency.of(paged));
  }

  /**
   * Delay from the start of a write to its delivery to each of {@code watchers} watches, with
   * writes paced at {@code writesPerSecond}. The write's start time travels in its value.
   */
  Latency watchDelivery(int watchers, int writes, int writesPerSecond) throws Exception {
    Bytes prefix = root.concat(Bytes.of("watch/"));
    long startRevision = store.currentRevision() + 1;
    LatencyRecorder delays = new LatencyRecorder(watchers * writes);
    AtomicBoolean failed = new AtomicBoolean();
    List<Watch> watches = new ArrayList<>();
    try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch done = new CountDownLatch(watchers);
      for (int w = 0; w < watchers; w++) {
        Watch watch = store.watch(WatchRequest.prefix(prefix, startRevision).withPrevKv(false));
        watches.add(watch);
        readers.submit(() -> readDelays(watch, writes, delays, failed, done));
      }
      long interval = 1_000_000_000L / writesPerSecond;
      long next = System.nanoTime();
      long deadline = next + timeLimit.toNanos();
      for (int i = 0; i < writes && System.nanoTime() < deadline; i++) {
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        next += interval;
        byte[] value = new byte[VALUE_BYTES];
        ByteBuffer.wrap(value).putLong(System.nanoTime());
        expectWritten(store.create(prefix.concat(Bytes.of("k" + i)), Bytes.wrap(value)));
      }
      check(done.await(timeLimit.toSeconds(), TimeUnit.SECONDS), "watchers did not finish");
      check(!failed.get(), "a watcher ended early");
    } finally {
      watches.forEach(Watch::close);
    }
    return Latency.of(delays);
  }

  private static Void readDelays(
      Watch watch, int writes, LatencyRecorder delays, AtomicBoolean failed, CountDownLatch done)
      throws InterruptedException {
    try {
      int seen = 0;
      while (seen < writes) {
        WatchResponse r = watch.poll(Duration.ofSeconds(30));
        switch (r) {
          case null -> throw new IllegalStateException("no event for 30 s");
          case WatchResponse.Events e -> {
            long now = System.nanoTime();
            for (Event ev : e.events()) {
              delays.record(now - ByteBuffer.wrap(ev.kv().value().unsafeArray()).getLong());
              seen++;
            }
          }
          case WatchResponse.Progress p -> { }
          case WatchResponse.Ended e -> throw new IllegalStateException("watch ended: " + e);
        }
      }
    } catch (RuntimeException e) {
      failed.set(true);
    } finally {
      done.countDown();
    }
    return null;
  }

  private interface Operation {
    void run(LatencyRecorder latency) throws Exception;
  }

  private Throughput runWriters(int writers, int total, Operation op) throws Exception {
    LatencyRecorder latency = new LatencyRecorder(total);
    AtomicInteger remaining = new AtomicInteger(total);
    long deadline = System.nanoTime() + timeLimit.toNanos();
    CountDownLatch go = new CountDownLatch(1);
    long start;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        futures.add(pool.submit(() -> {
          go.await();
          while (remaining.getAndDecrement() > 0 && System.nanoTime() < deadline) {
            op.run(latency);
          }
          return null;
        }));
      }
      start = System.nanoTime();
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Throughput(writers, latency.count(), seconds,
        latency.percentileMillis(50), latency.percentileMillis(99));
  }

  private Bytes casKey(String phase, int writer) {
    return root.concat(Bytes.of(phase + "/" + writer));
  }

  private static Bytes randomValue() {
    byte[] value = new byte[VALUE_BYTES];
    ThreadLocalRandom.current().nextBytes(value);
    return Bytes.wrap(value);
  }

  private static WriteResult.Written expectWritten(WriteResult result) {
    if (result instanceof WriteResult.Written w) {
      return w;
    }
    throw new IllegalStateException("write did not happen: " + result);
  }


  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
