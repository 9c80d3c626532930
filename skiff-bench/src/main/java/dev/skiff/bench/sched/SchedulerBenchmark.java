package dev.skiff.bench.sched;

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
 * Issue 4's scheduler benchmark: upstream scheduler_perf's workload shapes against Skiff's API server
 * (embedded storage) and scheduler in this process, with plain Node objects and no kubelets.
 *
 * <p>Usage: {@code bin/bench sched [--quick] [--backlog] [SHAPE ...]}; {@code --quick} divides every
 * count by ten; {@code --measured N} keeps the cluster's size but creates N measured pods (for
 * profiling runs); {@code --pending N} instead runs the no-node case ({@link PendingIdleRun}); shapes are picked by name (default: all). By default the measured pods are created
 * while the scheduler runs, as upstream does, so the API server's create rate bounds the result;
 * {@code --backlog} creates them with the scheduler stopped and times how fast it drains them, from
 * its first binding to its last (latency is then from the scheduler's start).
 */
public final class SchedulerBenchmark {
  public static void main(String[] args) throws Exception {
    int pending = List.of(args).indexOf("--pending");
    if (pending >= 0) {
      Path dir = Files.createTempDirectory("skiff-bench-pending");
      try {
        String line = new PendingIdleRun(Integer.parseInt(args[pending + 1]), Duration.ofSeconds(20),
            Duration.ofSeconds(60), SchedulerBenchmark::progress).run(dir);
        System.out.println(line);
      } finally {
        deleteTree(dir);
      }
      return;
    }
    boolean quick = List.of(args).contains("--quick");
    boolean backlog = List.of(args).contains("--backlog");
    int measured = List.of(args).indexOf("--measured");
    Integer measuredCount = measured >= 0 ? Integer.valueOf(args[measured + 1]) : null;
    List<String> names = Stream.of(args).filter(a -> !a.startsWith("--") && !(measuredCount != null
        && a.equals(args[measured + 1]))).toList();
    List<SchedulingShape> shapes = SchedulingShape.all().stream()
        .filter(s -> names.isEmpty() || names.contains(s.name()))
        .map(s -> quick ? s.scaledDown(10) : s)
        .map(s -> measuredCount == null ? s : s.withMeasured(measuredCount)).toList();
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("no such shape; known: "
          + SchedulingShape.all().stream().map(SchedulingShape::name).toList());
    }
    Path root = Files.createTempDirectory("skiff-bench-sched");
    List<ShapeResult> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    try {
      for (SchedulingShape shape : shapes) {
        Path dir = Files.createDirectories(root.resolve(shape.name()));
        try {
          results.add(new ShapeRun(shape, backlog, SchedulerBenchmark::progress).run(dir));
          progress(row(results.getLast()));
        } catch (IllegalStateException e) {
          // one shape that does not finish must not cost the others' figures
          progress(shape.name() + " FAILED: " + e.getMessage());
          failed.add(shape.name() + ": " + e.getMessage());
        }
        deleteTree(dir);
      }
    } finally {
      deleteTree(root);
    }
    System.out.printf("%n## Scheduler benchmark (scheduler_perf shapes), %s%n%n", Instant.now());
    System.out.printf("Machine: %d cores; JVM %s; API server on embedded storage and scheduler in one process; "
        + "mode: %s%n%n", Runtime.getRuntime().availableProcessors(), Runtime.version(),
        backlog ? "backlog (pods created first, then the scheduler drains them)" : "streaming (as upstream)");
    System.out.println("| shape | nodes / initial / measured pods | pods/s (avg) | per-second median | "
        + "creates/s | latency p50 / p99 | CPU ms per pod | upstream CI threshold | goal (2x, SchedulingBasic 1000) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    results.forEach(r -> System.out.println(row(r)));
    failed.forEach(f -> System.out.println("\nFAILED " + f));
  }

  private static String row(ShapeResult r) {
    SchedulingShape s = r.shape();
    double goal = s.name().equals("SchedulingBasic") ? 1000 : 2 * s.upstreamThreshold();
    return String.format(Locale.ROOT, "| %s | %,d / %,d / %,d | **%.0f** | %.0f | %.0f | %.0f / %.0f ms | %.2f | %.0f | %.0f |",
        s.name(), s.nodes(), s.initCount(), r.measured(), r.podsPerSecond(), r.medianSecondRate(),
        r.createsPerSecond(), r.latency().p50Millis(), r.latency().p99Millis(), r.cpuMillisPerPod(),
        s.upstreamThreshold(), goal);
  }

  private static void progress(String step) {
    System.err.printf("[sched] %s %s%n", Instant.now(), step);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
