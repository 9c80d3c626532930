package dev.skiff.bench.storage;

import dev.skiff.bench.Latency;
import dev.skiff.bench.storage.StoreWorkloads.ListTimes;
import dev.skiff.bench.storage.StoreWorkloads.Throughput;
import dev.skiff.storage.Store;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 2's storage benchmark: the same workloads on the embedded SQLite store and on a real
 * etcd started on loopback, in one run, printed as a Markdown table for docs/benchmarks.md.
 *
 * <p>Usage: {@code bin/bench storage [--quick] [sqlite|etcd ...]}. {@code --quick} shrinks every
 * count tenfold (a smoke run, not a measurement).
 */
public final class StorageBenchmark {
  private static final int[] WRITERS = {1, 16, 64};

  private record Row(String backend, String workload, String result) {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    List<String> backends = new ArrayList<>(List.of(args).stream()
        .filter(a -> !a.startsWith("--")).toList());
    if (backends.isEmpty()) {
      backends.addAll(List.of("sqlite", "etcd"));
    }
    int scale = quick ? 10 : 1;
    PrintStream out = System.out;
    List<Row> rows = new ArrayList<>();
    for (String backend : backends) {
      try (StoreFixture fixture = StoreFixtures.named(backend)) {
        rows.addAll(run(fixture, scale));
      }
    }
    out.printf("%n## Storage benchmark, %s%n%n", Instant.now());
    out.printf("Machine: %d cores, %s; JVM %s%n%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        Runtime.version());
    out.println("| backend | workload | result |");
    out.println("|---|---|---|");
    rows.forEach(r -> out.printf("| %s | %s | %s |%n", r.backend(), r.workload(), r.result()));
  }

  private static List<Row> run(StoreFixture fixture, int scale) throws Exception {
    List<Row> rows = new ArrayList<>();
    String name = fixture.name();
    try (Store store = fixture.open()) {
      StoreWorkloads work = new StoreWorkloads(store, "run" + System.nanoTime(),
          Duration.ofSeconds(60));
      progress(name, "warm-up");
      work.creates("warmup", 16, 4000 / scale);
      for (int writers : WRITERS) {
        int total = (writers == 1 ? 3000 : 30000) / scale;
        progress(name, "creates, " + writers + " writers");
        rows.add(new Row(name, "create 1 KiB, " + writers + " writers",
            throughput(work.creates("create" + writers, writers, total))));
      }
      for (int writers : WRITERS) {
        int total = (writers == 1 ? 3000 : 30000) / scale;
        progress(name, "CAS updates, " + writers + " writers");
        rows.add(new Row(name, "CAS update 1 KiB, " + writers + " writers",
            throughput(work.casUpdates("cas" + writers, writers, total))));
      }
      progress(name, "list 10,000 keys");
      ListTimes lists = work.lists(10_000, 20 / Math.min(scale, 4));
      rows.add(new Row(name, "list 10,000 keys (one range)", latency(lists.full())));
      rows.add(new Row(name, "list 10,000 keys (pages of 500)", latency(lists.paged())));
      progress(name, "watch delivery to 100 watchers");
      rows.add(new Row(name, "write-to-watch delay, 100 watchers, 500 writes/s",
          latency(work.watchDelivery(100, 2000 / scale, 500))));
    }
    return rows;
  }

  private static void progress(String backend, String step) {
    System.err.printf("[%s] %s%n", backend, step);
  }

  private static String throughput(Throughput t) {
    return String.format(Locale.ROOT, "**%,.0f/s** (%d ops in %.2f s; latency p50 %.2f ms, p99 %.2f ms)",
        t.perSecond(), t.operations(), t.seconds(), t.p50Millis(), t.p99Millis());
  }

  private static String latency(Latency l) {
    return String.format(Locale.ROOT, "p50 **%.2f ms**, p99 **%.2f ms**, max %.2f ms (%d samples)",
        l.p50Millis(), l.p99Millis(), l.maxMillis(), l.samples());
  }
}
