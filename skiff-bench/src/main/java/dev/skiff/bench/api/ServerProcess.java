package dev.skiff.bench.api;

import dev.skiff.testkit.KubeconfigTrust;
import dev.skiff.testkit.SkiffServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code skiff server --disable-agent} process (testkit's {@link SkiffServerProcess}) on a fresh
 * data dir, with a bearer token for the benchmark's clients and the server's CPU and memory from /proc.
 *
 * <p>The server's JVM flags are bin/skiff's (its start-up cache, heap and SQLite flags, read from {@code
 * SKIFF_PRINT_JAVA=1 bin/skiff server}) when the system property {@code skiff.home} names the checkout, so the
 * figures are the users'; {@code -Dskiff.bench.serverFlags=java} starts it with the JVM's defaults instead.
 * The system property {@code skiff.bench.serverJvmOpts} adds options either way, and {@code
 * skiff.bench.serverArgs} adds server arguments (space-separated).
 */
final class ServerProcess implements AutoCloseable {
  static final String TOKEN = "skiff-bench-token";

  private final SkiffServerProcess server;
  private final boolean controllers;

  private ServerProcess(SkiffServerProcess server, boolean controllers) {
    this.server = server;
    this.controllers = controllers;
  }

  /** Starts the server and waits until {@code /readyz} answers {@code ok}. */
  static ServerProcess start(Path jar, Path dataDir) throws Exception {
    return start(jar, dataDir, List.of());
  }

  /** As {@link #start(Path, Path)}, with {@code jvmOptions} before those of {@code skiff.bench.serverJvmOpts}. */
  static ServerProcess start(Path jar, Path dataDir, List<String> jvmOptionsFirst) throws Exception {
    Files.createDirectories(dataDir);
    Path tokens = dataDir.resolve("bench-tokens.csv");
    Files.writeString(tokens, TOKEN + ",bench,bench-uid,\"system:masters\"\n");
    // extra server JVM options (a JFR recording, heap flags), as bin/skiff's SKIFF_JAVA_OPTS
    // a caller's own flags (the memory phase's) replace bin/skiff's
    List<String> jvmOptions = new ArrayList<>(jvmOptionsFirst.isEmpty() ? launcherOptions() : jvmOptionsFirst);
    for (String opt : System.getProperty("skiff.bench.serverJvmOpts", "").split(" ")) {
      if (!opt.isBlank()) {
        jvmOptions.add(opt.replace("{dataDir}", dataDir.toString()));
      }
    }
    // extra server arguments, e.g. "--disable scheduler,controllers" to measure the API server without the
    // in-process clients that decode every event (a share of the machine per create)
    List<String> args = new ArrayList<>(List.of("--disable-agent", "--token-auth-file", tokens.toString()));
    for (String arg : System.getProperty("skiff.bench.serverArgs", "").split(" ")) {
      if (!arg.isBlank()) {
        args.add(arg);
      }
    }
    boolean controllers = args.stream().noneMatch(a -> a.contains("controllers"));
    return new ServerProcess(SkiffServerProcess.start(jar, dataDir, SkiffServerProcess.freePort(), jvmOptions,
        args, Duration.ofSeconds(180)), controllers);
  }

  /** Whether the controller manager runs (it makes each namespace's default ServiceAccount). */
  boolean controllers() {
    return controllers;
  }

  long pid() {
    return server.pid();
  }

  /** Where the server's JVM flags come from: "bin/skiff" or "JVM defaults". */
  static String flagsSource() {
    return usesBinSkiff() ? "bin/skiff's (SKIFF_PRINT_JAVA=1 bin/skiff server)" : "the JVM's defaults";
  }

  private static boolean usesBinSkiff() {
    return System.getProperty("skiff.home") != null
        && !"java".equals(System.getProperty("skiff.bench.serverFlags", "skiff"));
  }

  private static List<String> binSkiffOptions;

  /**
   * bin/skiff's JVM options for {@code skiff server} (asked once: bin/skiff makes its start-up cache first if the jar
   * changed), without the two that {@link SkiffServerProcess} passes itself; empty with JVM defaults.
   */
  private static synchronized List<String> launcherOptions() throws IOException, InterruptedException {
    if (!usesBinSkiff()) {
      return List.of();
    }
    if (binSkiffOptions == null) {
      Path skiff = Path.of(System.getProperty("skiff.home"), "bin", "skiff");
      ProcessBuilder pb = new ProcessBuilder(skiff.toString(), "server", "--disable-agent")
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("SKIFF_PRINT_JAVA", "1");
      Process p = pb.start();
      List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
      if (p.waitFor() != 0 || !lines.contains("-jar")) {
        throw new IllegalStateException("SKIFF_PRINT_JAVA=1 bin/skiff server failed: " + lines);
      }
      binSkiffOptions = lines.subList(1, lines.indexOf("-jar")).stream()
          .filter(o -> !o.equals("--enable-native-access=ALL-UNNAMED") && !o.equals("--sun-misc-unsafe-memory-access=allow"))
          .toList();
    }
    return binSkiffOptions;
  }

  private static final java.util.regex.Pattern SERVER_READY =
      java.util.regex.Pattern.compile("(\\d+) ms and (\\d+) ms of CPU since the JVM started");

  /**
   * The server's own account of its start, from its log: "{wall} ms, {cpu} ms CPU" from the JVM's start to the API
   * server listening ready (before the components start and before any client's poll), or "?" if not logged.
   */
  String serverReported() {
    var m = SERVER_READY.matcher(server.log());
    return m.find() ? m.group(1) + " ms, " + m.group(2) + " ms CPU" : "?";
  }

  long readyMillis() {
    return server.readyMillis();
  }

  URI uri(String path) {
    return URI.create(server.url() + path);
  }

  /** An HTTP/2 client that trusts only the cluster CA of this server's kubeconfig. */
  HttpClient newClient() throws Exception {
    return KubeconfigTrust.httpClient(server.kubeconfig());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(60));
  }

  /** CPU time (user + system) the server process has used so far, in ms, from /proc (100 ticks/s). */
  long cpuMillis() throws IOException {
    return cpuMillis(Long.toString(server.pid()));
  }

  /** As {@link #cpuMillis()} for any process: a pid, or {@code "self"} for the benchmark's own JVM. */
  static long cpuMillis(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the command: state is field 3, utime 14 and stime 15 of the whole line
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  /**
   * The sockets the server process holds open now (its listener and every client connection), from
   * /proc/PID/fd; -1 when not readable.
   */
  long openSockets() {
    try (var fds = Files.list(Path.of("/proc", Long.toString(server.pid()), "fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException e) {
          return false; // closed meanwhile
        }
      }).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Write system calls the server process has made so far ({@code syscw} of /proc/PID/io): per
   * watch event delivered, how many separate socket writes (TLS records, HTTP/2 DATA frames) it
   * took; -1 when the kernel does not report it.
   */
  long writeSyscalls() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "io"))) {
        if (line.startsWith("syscw:")) {
          return Long.parseLong(line.substring(6).strip());
        }
      }
    } catch (IOException e) {
      // not readable (another user's process, or no task I/O accounting): reported as unknown
    }
    return -1;
  }

  /**
   * CPU time (user + system, ms) of the server's live threads by kind: the JIT compilers ("C1 CompilerThre",
   * "C2 CompilerThre"), the garbage collector and VM thread, and the rest (threads that have ended count in
   * the process total only).
   */
  java.util.Map<String, Long> cpuMillisByThreadKind() throws IOException {
    java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(server.pid()), "task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String kind = name.startsWith("C1 ") ? "JIT C1" : name.startsWith("C2 ") ? "JIT C2"
            : name.startsWith("GC ") || name.equals("VM Thread") ? "GC+VM" : name.equals("java") ? "main" : "other";
        byKind.merge(kind, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
      }
    }
    return byKind;
  }

  /** Resident set size of the server process, in MiB, from /proc. */
  long rssMiB() {
    return SkiffServerProcess.rssKiB(server.pid()) / 1024;
  }

  @Override
  public void close() {
    server.close();
  }
}
