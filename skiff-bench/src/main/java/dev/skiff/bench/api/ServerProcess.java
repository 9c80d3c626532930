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
 */
final class ServerProcess implements AutoCloseable {
  static final String TOKEN = "skiff-bench-token";

  private final SkiffServerProcess server;

  private ServerProcess(SkiffServerProcess server) {
    this.server = server;
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
    List<String> jvmOptions = new ArrayList<>(jvmOptionsFirst);
    for (String opt : System.getProperty("skiff.bench.serverJvmOpts", "").split(" ")) {
      if (!opt.isBlank()) {
        jvmOptions.add(opt.replace("{dataDir}", dataDir.toString()));
      }
    }
    return new ServerProcess(SkiffServerProcess.start(jar, dataDir, SkiffServerProcess.freePort(), jvmOptions,
        List.of("--disable-agent", "--token-auth-file", tokens.toString()), Duration.ofSeconds(180)));
  }

  long pid() {
    return server.pid();
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
    String stat = Files.readString(Path.of("/proc", Long.toString(server.pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the command: state is field 3, utime 14 and stime 15 of the whole line
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
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
