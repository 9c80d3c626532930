package dev.skiff.bench.api;

import dev.skiff.bench.api.ApiBenchmark.Row;
import dev.skiff.bench.api.ApiWorkloads.Throughput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code bin/bench api --only memory}: a fresh server with bin/skiff's memory flags (system property
 * {@code skiff.bench.memoryJvmOpts}, which bin/bench fills from bin/lib/memory.sh), {@code pods} pods of the
 * benchmark's shape created by 64 clients, then, once the server's CPU has settled, its RSS, platform threads,
 * GC time and live heap (a class histogram's total, after a full GC). A second, diagnostic server runs the same steps with Native Memory
 * Tracking on and reports NMT's committed sizes by category (NMT costs memory itself, so the headline RSS comes
 * from the first run; {@code -Dskiff.bench.memoryNmt=false} skips it while iterating).
 */
final class MemoryPhase {
  /** A core's share below which the server counts as settled: 10%, measured over 2 s. */
  private static final long SETTLED_CPU_MILLIS = 200;
  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);

  private final Path jar;
  private final Path root;
  private final int pods;
  private final List<String> memoryOptions;

  MemoryPhase(Path jar, Path root, int pods) {
    this.jar = jar;
    this.root = root;
    this.pods = pods;
    this.memoryOptions = options(System.getProperty("skiff.bench.memoryJvmOpts", "-XX:+UseSerialGC -Xmx512m"));
  }

  List<Row> run() throws Exception {
    List<Row> rows = new ArrayList<>();
    add(rows, new Row("memory run: server JVM flags", "`" + String.join(" ", memoryOptions) + "`"));
    measure(rows, false);
    if (!Boolean.parseBoolean(System.getProperty("skiff.bench.memoryNmt", "true"))) {
      return rows;
    }
    try {
      measure(rows, true);
    } catch (Exception | AssertionError e) {
      // the headline figures stand without the diagnostic run
      add(rows, new Row("NMT run", "failed: " + e.toString().lines().findFirst().orElse("")));
    }
    return rows;
  }

  private void measure(List<Row> rows, boolean nmt) throws Exception {
    List<String> options = new ArrayList<>(memoryOptions);
    if (nmt) {
      options.add("-XX:NativeMemoryTracking=summary");
    }
    String tag = nmt ? "NMT run: " : "";
    ApiBenchmark.progress("memory: " + (nmt ? "diagnostic run with NMT" : "headline run") + ", " + pods + " pods");
    try (ServerProcess server = ServerProcess.start(jar, root.resolve(nmt ? "memory-nmt" : "memory"), options)) {
      JvmMemory jvm = new JvmMemory(server.pid());
      // a loaded machine creates slowly: give the creates time to reach the full count
      ApiWorkloads work = new ApiWorkloads(server, Duration.ofSeconds(300));
      long idleRss = server.rssMiB();
      long idleLive = nmt ? 0 : jvm.liveHeap(0).totalKiB();
      work.createNamespace("bench");
      long gcBefore = jvm.gcMillis();
      long cpuBefore = server.cpuMillis();
      Throughput t = work.createPods("bench", 64, pods);
      long createCpu = server.cpuMillis() - cpuBefore;
      long gcCreates = jvm.gcMillis() - gcBefore;
      long settleStart = System.nanoTime();
      boolean settled = settle(server);
      double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
      long rss = server.rssMiB();
      long gcTotal = jvm.gcMillis() - gcBefore;
      if (nmt) {
        add(rows, new Row(tag + "RSS with " + t.operations() + " pods (NMT costs some itself)", rss + " MiB"));
        add(rows, new Row(tag + "NMT committed (MiB), largest first", jvm.nativeMemory().stream()
            .filter(c -> c.committedKiB() >= 1024)
            .map(c -> c.name() + " " + c.committedKiB() / 1024)
            .collect(Collectors.joining(", "))));
        return;
      }
      add(rows, new Row("memory run: server RSS idle after start", idleRss + " MiB"));
      add(rows, new Row("memory run: create " + t.operations() + " pods, 64 clients", String.format(Locale.ROOT,
          // GC pauses are wall time: on a loaded machine a pause stretches while its thread waits for a core
          "%,.0f/s, p99 %.1f ms; server CPU %.2f ms/op; GC pauses %d ms (wall) during creates, server CPU %d ms",
          t.perSecond(), t.p99Millis(), createCpu / (double) t.operations(), gcCreates, createCpu)));
      add(rows, new Row("memory run: settling", String.format(Locale.ROOT, "%s after %.0f s; GC pauses %d ms in all",
          settled ? "settled" : "still busy", settleSeconds, gcTotal)));
      add(rows, new Row("**server RSS with " + t.operations() + " pods stored** (memory run)",
          "**" + rss + " MiB** (" + jvm.rssSplit() + ")"));
      add(rows, new Row("memory run: platform threads", Long.toString(jvm.threads())));
      JvmMemory.LiveHeap heap = jvm.liveHeap(12);
      long live = heap.totalKiB();
      add(rows, new Row("memory run: live heap (GC.class_histogram total)", String.format(Locale.ROOT,
          "%d MiB (idle %d MiB: %,d bytes per pod); RSS then %d MiB", live / 1024, idleLive / 1024,
          (live - idleLive) * 1024 / Math.max(1, t.operations()), server.rssMiB())));
      add(rows, new Row("memory run: largest classes of the live heap (instances, KiB)",
          String.join("; ", heap.largest())));
    }
  }

  /** Keeps a row and prints it at once: a later failure (a server not ready on a loaded machine) loses nothing. */
  private static void add(List<Row> rows, Row row) {
    rows.add(row);
    ApiBenchmark.progress("memory: " + row.workload() + " | " + row.result());
  }

  /** Waits (at most {@link #SETTLE_LIMIT}) until the server uses under 10% of a core over 2 s. */
  private static boolean settle(ServerProcess server) throws Exception {
    long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
    long cpu = server.cpuMillis();
    while (System.nanoTime() < deadline) {
      Thread.sleep(2000);
      long now = server.cpuMillis();
      if (now - cpu < SETTLED_CPU_MILLIS) {
        return true;
      }
      cpu = now;
    }
    return false;
  }

  private static List<String> options(String spaceSeparated) {
    return java.util.Arrays.stream(spaceSeparated.split(" ")).filter(o -> !o.isBlank()).toList();
  }
}
