package dev.skiff.bench.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads another JVM's memory through {@code jcmd PID ...} of the benchmark's own JDK: heap used after a full GC,
 * GC time so far, and Native Memory Tracking's committed bytes per category (when the JVM runs with
 * {@code -XX:NativeMemoryTracking=summary}).
 */
final class JvmMemory {
  /** A histogram row, "   1:  123  4567  java.lang.String (java.base@25)": instances, bytes, class. */
  private static final Pattern HISTOGRAM_ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)", Pattern.MULTILINE);
  private static final Pattern NMT_CATEGORY =
      Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);
  private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final Pattern COUNTER = Pattern.compile("^(\\S+)=(\\d+)$", Pattern.MULTILINE);

  private final long pid;

  JvmMemory(long pid) {
    this.pid = pid;
  }

  /** The live heap: the class histogram's total, and its largest classes ("name count KiB", largest first). */
  record LiveHeap(long totalKiB, List<String> largest) {}

  /**
   * Live objects: the total of {@code GC.class_histogram}, which counts after a full GC in the same pause (GC.run
   * then GC.heap_info would also count what a busy server allocates between the two), and its {@code top} largest
   * classes, which say where a change to the live set should aim. With {@code top > 0} and the system property
   * {@code skiff.bench.memoryHistogram} set to a path, the whole histogram is written there too.
   */
  LiveHeap liveHeap(int top) throws IOException, InterruptedException {
    String histogram = jcmd("GC.class_histogram");
    String keep = System.getProperty("skiff.bench.memoryHistogram", "");
    if (!keep.isBlank() && top > 0) {
      // the whole histogram, for a reader who wants more than the largest classes
      java.nio.file.Files.writeString(Path.of(keep), histogram);
    }
    Matcher m = HISTOGRAM_TOTAL.matcher(histogram);
    if (!m.find()) {
      throw new IOException("no total in GC.class_histogram of " + pid);
    }
    List<String> largest = new ArrayList<>();
    Matcher row = HISTOGRAM_ROW.matcher(histogram);
    while (largest.size() < top && row.find()) {
      largest.add(row.group(3) + " " + row.group(1) + " " + Long.parseLong(row.group(2)) / 1024 + " KiB");
    }
    return new LiveHeap(Long.parseLong(m.group(1)) / 1024, largest);
  }

  /** Milliseconds the JVM's collectors have spent so far (every collector's {@code sun.gc.collector.N.time}). */
  long gcMillis() throws IOException, InterruptedException {
    Map<String, Long> counters = new LinkedHashMap<>();
    Matcher m = COUNTER.matcher(jcmd("PerfCounter.print"));
    while (m.find()) {
      counters.put(m.group(1), Long.parseLong(m.group(2)));
    }
    long ticksPerSecond = counters.getOrDefault("sun.os.hrt.frequency", 1_000_000_000L);
    long ticks = counters.entrySet().stream()
        .filter(e -> e.getKey().matches("sun\\.gc\\.collector\\.\\d+\\.time"))
        .mapToLong(Map.Entry::getValue).sum();
    return ticks * 1000 / ticksPerSecond;
  }

  /** A category of Native Memory Tracking's summary: its committed size in KiB. */
  record NmtCategory(String name, long committedKiB) {}

  /** NMT's committed total followed by its categories, largest first; empty when NMT is off. */
  List<NmtCategory> nativeMemory() throws IOException, InterruptedException {
    String summary = jcmd("VM.native_memory", "summary");
    List<NmtCategory> categories = new ArrayList<>();
    Matcher total = NMT_TOTAL.matcher(summary);
    if (!total.find()) {
      return categories;
    }
    categories.add(new NmtCategory("Total", Long.parseLong(total.group(2))));
    Matcher m = NMT_CATEGORY.matcher(summary);
    List<NmtCategory> rest = new ArrayList<>();
    while (m.find()) {
      rest.add(new NmtCategory(m.group(1).strip(), Long.parseLong(m.group(3))));
    }
    rest.sort((a, b) -> Long.compare(b.committedKiB(), a.committedKiB()));
    categories.addAll(rest);
    return categories;
  }

  /** Platform threads of the process now (from /proc/PID/status). */
  long threads() throws IOException {
    return status("Threads:");
  }

  /**
   * RSS split as /proc/PID/status does, in MiB: anonymous memory (heap, malloc, stacks) and file pages (the jar's
   * and libraries' mapped code, SQLite's mmap of the database), which the kernel can drop.
   */
  String rssSplit() throws IOException {
    return "anon " + status("RssAnon:") / 1024 + " MiB, file " + status("RssFile:") / 1024 + " MiB";
  }

  private long status(String field) throws IOException {
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  private String jcmd(String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd " + String.join(" ", command) + " did not finish in 60 s");
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
