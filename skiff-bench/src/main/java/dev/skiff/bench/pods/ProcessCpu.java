package dev.skiff.bench.pods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A process's CPU time from {@code /proc}, in total and by thread name, so that a JVM's cost can
 * be split into the JIT compilers, the garbage collector and the application's threads (virtual
 * threads run on the {@code ForkJoinPool} carriers). Threads that exit between two snapshots are in
 * the total only ({@code exited or unnamed}).
 *
 * @param totalTicks utime + stime of the whole process, USER_HZ ticks
 * @param byGroup utime + stime per thread-name group, see {@link #group(String)}
 */
record ProcessCpu(long totalTicks, Map<String, Long> byGroup) {
  /** USER_HZ: the unit of utime and stime in /proc on Linux. */
  private static final double TICK_MILLIS = 10;

  static ProcessCpu of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    Map<String, Long> groups = new HashMap<>();
    try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          groups.merge(group(name), ticks(stat), Long::sum);
        } catch (IOException e) {
          // the thread exited while listed
        }
      }
    }
    return new ProcessCpu(ticks(Files.readString(proc.resolve("stat"))), groups);
  }

  /** JIT, GC, or the thread's name with digits dropped (one group per pool). */
  static String group(String threadName) {
    if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
      return "JIT";
    }
    if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
      return "GC";
    }
    return threadName.replaceAll("[0-9]+", "#");
  }

  /** utime + stime from a stat line; the command name in parentheses may hold spaces. */
  private static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** What was used between {@code earlier} and this snapshot, per pod: total and the largest groups. */
  String describeSince(ProcessCpu earlier, int pods, int groupsShown) {
    Map<String, Long> delta = new HashMap<>();
    byGroup.forEach((g, t) -> delta.put(g, t - earlier.byGroup.getOrDefault(g, 0L)));
    long total = totalTicks - earlier.totalTicks;
    long named = delta.values().stream().mapToLong(Long::longValue).sum();
    delta.put("exited or unnamed", Math.max(0, total - named));
    String top = delta.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(groupsShown)
        .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue() * TICK_MILLIS / pods))
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "**%.0f ms per pod** (%s)", total * TICK_MILLIS / pods, top);
  }
}
