package dev.skiff.bench.api;

import dev.skiff.bench.LatencyRecorder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nghttp2's {@code h2load}: a load client in C that costs the machine far less per request than the JDK's
 * HttpClient, so the server's own limit shows. It speaks TLS + HTTP/2 (ALPN h2) and, having no client-certificate
 * flag, authenticates with a bearer token. Each of {@code clients} connections keeps one request in flight, as
 * the JDK-client workloads do. Bounded by count ({@code -n}) and by a wall-clock limit after which it is killed.
 */
final class H2Load {
  /** One run: requests answered with {@code expectedStatus}, latency percentiles, h2load's own CPU, the TLS cipher. */
  record Result(int requests, int ok, double seconds, double p50Millis, double p99Millis, long clientCpuMillis,
      String cipher) {
    double perSecond() {
      return ok / seconds;
    }
  }

  private static final Pattern CIPHER = Pattern.compile("Cipher: (\\S+)");
  private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)(m?s)");
  private static final Pattern CHILD_TIMES = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s");

  private final Path workDir;
  private final Duration timeLimit;

  H2Load(Path workDir, Duration timeLimit) {
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
  }

  /** Whether h2load is on PATH ({@code apt-get install -y nghttp2-client}). */
  static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "h2load"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code total} POSTs of {@code body} to {@code uri} by {@code clients} connections. */
  Result post(URI uri, String token, String body, int clients, int total, int expectedStatus) throws Exception {
    Path data = Files.writeString(Files.createTempFile(workDir, "body", ".json"), body);
    Path log = Files.createTempFile(workDir, "h2load", ".log");
    List<String> h2load = new ArrayList<>(List.of("h2load", "-c", Integer.toString(clients), "-m", "1", "-t", "1",
        "-n", Integer.toString(total), "--log-file", log.toString(), "-H", "Content-Type: application/json",
        "-d", data.toString()));
    if (token != null) {
      h2load.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    h2load.add(uri.toString());
    // bash's `times` prints the CPU its children used: h2load's own cost per request, from the kernel
    String script = String.join(" ", h2load.stream().map(H2Load::quote).toList()) + "; rc=$?; times; exit $rc";
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    byte[] out;
    try {
      if (!p.waitFor(timeLimit.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        throw new IllegalStateException("h2load did not finish within " + timeLimit);
      }
      out = p.getInputStream().readAllBytes();
    } finally {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("h2load failed (" + p.exitValue() + "): " + text);
    }
    Matcher finished = FINISHED.matcher(text);
    if (!finished.find()) {
      throw new IllegalStateException("no 'finished in' in h2load's output: " + text);
    }
    double seconds = Double.parseDouble(finished.group(1)) / (finished.group(2).equals("ms") ? 1000 : 1);
    Matcher times = CHILD_TIMES.matcher(text);
    long cpu = 0;
    // `times` prints the shell's line first, then its children's
    for (int line = 0; times.find(); line++) {
      if (line == 1) {
        cpu = Math.round((Long.parseLong(times.group(1)) * 60 + Double.parseDouble(times.group(2))
            + Long.parseLong(times.group(3)) * 60 + Double.parseDouble(times.group(4))) * 1000);
      }
    }
    // --log-file: one line per request, "start (µs since epoch) TAB status TAB duration (µs)"
    List<String> lines = Files.readAllLines(log);
    LatencyRecorder latency = new LatencyRecorder(lines.size());
    int ok = 0;
    for (String l : lines) {
      String[] f = l.split("\t");
      if (f.length == 3 && Integer.parseInt(f[1].trim()) == expectedStatus) {
        ok++;
        latency.record(Long.parseLong(f[2].trim()) * 1000);
      }
    }
    Files.deleteIfExists(log);
    Files.deleteIfExists(data);
    Matcher cipher = CIPHER.matcher(text);
    return new Result(lines.size(), ok, seconds, latency.percentileMillis(50), latency.percentileMillis(99), cpu,
        cipher.find() ? cipher.group(1) : "?");
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
