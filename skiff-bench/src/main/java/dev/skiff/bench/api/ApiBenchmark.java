package dev.skiff.bench.api;

import dev.skiff.bench.Latency;
import dev.skiff.bench.api.ApiWorkloads.ListTimes;
import dev.skiff.bench.api.ApiWorkloads.Throughput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Issue 3's API server benchmark against a real {@code skiff server} process (embedded storage):
 * cold start to /readyz, creates of ConfigMaps and pods by 64 HTTPS clients, lists of 10,000
 * pods, write-to-watch delay to 1,000 watchers, and the server's RSS with 10,000 pods stored.
 *
 * <p>Usage: {@code bin/bench api [--quick] [--only cold|creates|pods|bindings|lists|watch|floor|memory]...};
 * {@code --quick} shrinks every count tenfold, {@code --only} runs just the named workloads (repeatable;
 * {@code bindings}, pods/binding writes to the pods just created, {@code floor}, the request path's floors
 * measured with nghttp2's h2load ({@link Floors}), and {@code memory}, {@link MemoryPhase}'s servers with
 * bin/skiff's memory flags, run only when named). The creates also report the benchmark JVM's own CPU
 * per create: its 64 JDK HttpClients share the server's cores. The system
 * property {@code skiff.bench.serverJvmOpts} adds JVM options to the server ({@code {dataDir}} is
 * replaced by its data directory), for example a JFR recording. The server runs with bin/skiff's JVM flags
 * (start-up cache included) when {@code skiff.home} is set, as bin/bench does; {@code
 * -Dskiff.bench.serverFlags=java} gives it the JVM's defaults (see {@link ServerProcess}). Cold starts are
 * printed in run order with the server's CPU by then.
 */
public final class ApiBenchmark {
  record Row(String workload, String result) {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    int scale = quick ? 10 : 1;
    List<String> only = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--only")) {
        only.add(args[i + 1]);
      }
    }
    java.util.function.Predicate<String> runs = w -> only.isEmpty() || only.contains(w);
    Path jar = Path.of(System.getProperty("skiff.jar", "skiff-cli/target/skiff.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with 'mvn -DskipTests package'");
    }
    Path root = Files.createTempDirectory("skiff-bench-api");
    List<Row> rows = new ArrayList<>();
    try {
      List<Long> starts = new ArrayList<>();
      List<Long> startCpu = new ArrayList<>();
      if (runs.test("cold")) {
        // not counted: the benchmark's own HTTPS client is cold at its first start (class loading, JIT of TLS),
        // which made the first of the three starts look seconds slower than the server was
        progress("cold start: warm-up start of the benchmark's client (not counted)");
        try (ServerProcess s = ServerProcess.start(jar, root.resolve("cold-warmup"))) {
          s.readyMillis();
        }
      }
      for (int i = 0; i < (runs.test("cold") ? 3 : 0); i++) {
        progress("cold start " + (i + 1) + " of 3");
        try (ServerProcess s = ServerProcess.start(jar, root.resolve("cold" + i))) {
          // the CPU first: it is what the run used to become ready, before the components' work after /readyz
          long cpu = s.cpuMillis();
          var byKind = s.cpuMillisByThreadKind();
          starts.add(s.readyMillis());
          startCpu.add(cpu);
          // in run order, so a slow run can be told apart from the first run of a fresh cache or jar
          rows.add(new Row("cold start " + (i + 1) + " of 3 (fresh data dir)", String.format(Locale.ROOT,
              "%,d ms to /readyz; server CPU %,d ms by then (live threads: %s); server's log, JVM start to"
              + " ready: %s; load %.1f", s.readyMillis(), cpu, byKind, s.serverReported(), loadAverage())));
          if (i == 0) {
            rows.add(new Row("server RSS, idle after start", s.rssMiB() + " MiB"));
          }
        }
      }
      if (!starts.isEmpty()) {
        rows.add(new Row("cold start to /readyz, sorted", starts.stream().sorted().map(ms -> ms + " ms").toList()
            .toString()));
        rows.add(new Row("server CPU used by then (user + system), sorted",
            startCpu.stream().sorted().map(ms -> ms + " ms").toList().toString()));
      }

      if (only.contains("floor")) {
        progress("floor: bare Jetty + Jackson under h2load");
        rows.addAll(Floors.bareJetty(root.resolve("floor"), scale));
      }
      boolean loaded = runs.test("creates") || runs.test("pods") || only.contains("bindings") || runs.test("lists")
          || runs.test("watch") || only.contains("floor");
      try (ServerProcess server = loaded ? ServerProcess.start(jar, root.resolve("main")) : null) {
        ApiWorkloads work = server == null ? null : new ApiWorkloads(server, Duration.ofSeconds(120));
        if (work != null) {
          work.createNamespace("bench");
          work.createNamespace("watch");
          progress("warm-up");
          work.createConfigMaps("bench", 16, 2000 / scale);
          work.createNamespace("cms");
        }
        if (runs.test("creates")) {
          progress("ConfigMap creates, 64 clients");
          long cpu = server.cpuMillis();
          long clientCpu = ServerProcess.cpuMillis("self");
          Throughput t = work.createConfigMaps("cms", 64, 20_000 / scale);
          rows.add(new Row("create small ConfigMaps, 64 clients", throughput(t) + cpuPerOp(server, cpu, t)
              + clientCpuPerOp(clientCpu, t)));
        }
        int podsCreated = 0;
        if (runs.test("pods") || runs.test("lists") || only.contains("bindings")) {
          progress("pod creates, 64 clients");
          long cpu = server.cpuMillis();
          long clientCpu = ServerProcess.cpuMillis("self");
          Throughput t = work.createPods("bench", 64, 10_000 / scale);
          podsCreated = t.operations();
          rows.add(new Row("create pods, 64 clients", throughput(t) + cpuPerOp(server, cpu, t)
              + clientCpuPerOp(clientCpu, t)));
        }
        // opt-in: its first run (2026-11-27, load 11) ended with one binding timing out after 60 s while the
        // server sat idle; see docs/benchmarks.md (issue 3, session 4)
        if (only.contains("bindings")) {
          progress("pod bindings, 64 clients");
          long cpu = server.cpuMillis();
          // a create cut short by the time limit may leave a gap among the last 64 names
          Throughput t = work.bindPods("bench", 64, Math.max(0, podsCreated - 64));
          rows.add(new Row("bind pods (pods/binding), 64 clients", throughput(t) + cpuPerOp(server, cpu, t)));
        }
        if (only.contains("floor")) {
          progress("floor: creates by h2load against the server");
          rows.addAll(Floors.serverCreates(server, root.resolve("floor-h2load"), scale));
        }
        if (runs.test("lists")) {
          progress("list pods");
          ListTimes lists = work.lists("/api/v1/namespaces/bench/pods", 10_000 / scale, 10);
          rows.add(new Row("list " + 10_000 / scale + " pods (one request)", latency(lists.full())));
          rows.add(new Row("list " + 10_000 / scale + " pods (pages of 500)", latency(lists.paged())));
          rows.add(new Row("server RSS with " + 10_000 / scale + " pods (+" + 22_000 / scale
              + " ConfigMaps) stored", server.rssMiB() + " MiB"));
        }
        if (runs.test("watch")) {
          progress("watch delivery");
          int watchers = 1000 / scale;
          long cpu = server.cpuMillis();
          ApiWorkloads.WatchDelivery delivery = work.watchDelivery("watch", watchers, 100, 20);
          rows.add(new Row("write-to-watch delay, " + watchers + " watchers, 20 writes/s", latency(delivery.all())
              // opening the watches included
              + String.format(Locale.ROOT, "; server CPU %.1f ms per write delivered to all",
                  (server.cpuMillis() - cpu) / 100.0)));
          rows.add(new Row("  per write: delay to its first / last watcher", String.format(Locale.ROOT,
              "first p50 %.1f ms, p99 %.1f ms; last p50 %.1f ms, p99 %.1f ms", delivery.first().p50Millis(),
              delivery.first().p99Millis(), delivery.last().p50Millis(), delivery.last().p99Millis())));
          rows.add(new Row("  per write, watches open: CPU of server / bench JVM; server socket writes per event;"
              + " server sockets open", String.format(Locale.ROOT, "%.1f / %.1f ms; %.3f; %d",
                  delivery.serverCpuMillisPerWrite(), delivery.clientCpuMillisPerWrite(),
                  delivery.serverWritesPerEvent(), delivery.serverSockets())));
        }
      }
      if (only.contains("memory")) {
        rows.addAll(new MemoryPhase(jar, root, 10_000 / scale).run());
      }
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    System.out.printf("%n## API server benchmark, %s%n%n", Instant.now());
    System.out.printf("Machine: %d cores, load average %.1f at the end; JVM %s; embedded storage; server JVM flags: %s%n%n",
        Runtime.getRuntime().availableProcessors(), loadAverage(), Runtime.version(), ServerProcess.flagsSource());
    System.out.println("| workload | result |");
    System.out.println("|---|---|");
    rows.forEach(r -> System.out.printf("| %s | %s |%n", r.workload(), r.result()));
  }

  /** The one-minute load average (the machine is shared: figures are read against it). */
  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static void progress(String step) {
    System.err.printf("[api] %s %s%n", Instant.now(), step);
  }

  private static String throughput(Throughput t) {
    return String.format(Locale.ROOT,
        "**%,.0f/s** (%d in %.2f s; latency p50 %.1f ms, p99 %.1f ms)",
        t.perSecond(), t.operations(), t.seconds(), t.p50Millis(), t.p99Millis());
  }

  /** Server CPU per operation: a figure that a loaded machine distorts less than throughput. */
  private static String cpuPerOp(ServerProcess server, long cpuBefore, Throughput t) throws java.io.IOException {
    return String.format(Locale.ROOT, "; server CPU %.2f ms/op", (server.cpuMillis() - cpuBefore) / (double) t.operations());
  }

  /** The benchmark JVM's own CPU per operation (its HttpClients, TLS and HTTP/2 framing): the client's floor. */
  private static String clientCpuPerOp(long cpuBefore, Throughput t) throws java.io.IOException {
    return String.format(Locale.ROOT, "; bench client CPU %.2f ms/op",
        (ServerProcess.cpuMillis("self") - cpuBefore) / (double) t.operations());
  }

  private static String latency(Latency l) {
    return String.format(Locale.ROOT, "p50 **%.1f ms**, p99 **%.1f ms**, max %.1f ms (%d samples)",
        l.p50Millis(), l.p99Millis(), l.maxMillis(), l.samples());
  }
}
