package dev.skiff.bench.api;

import dev.skiff.testkit.KubeconfigTrust;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code skiff server --disable-agent} process started from the fat jar on a fresh data dir,
 * with a bearer token for the benchmark's clients. Stopped by its PID.
 */
final class ServerProcess implements AutoCloseable {
  static final String TOKEN = "skiff-bench-token";

  private final Process process;
  private final Path dataDir;
  private final int port;
  private final long readyMillis;

  private ServerProcess(Process process, Path dataDir, int port, long readyMillis) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
    this.readyMillis = readyMillis;
  }

  /** Starts the server and waits until {@code /readyz} answers {@code ok}. */
  static ServerProcess start(Path jar, Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    Path tokens = dataDir.resolve("bench-tokens.csv");
    Files.writeString(tokens, TOKEN + ",bench,bench-uid,\"system:masters\"\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    long start = System.nanoTime();
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
    // extra server JVM options (a JFR recording, heap flags), as bin/skiff's SKIFF_JAVA_OPTS
    for (String opt : System.getProperty("skiff.bench.serverJvmOpts", "").split(" ")) {
      if (!opt.isBlank()) {
        command.add(opt.replace("{dataDir}", dataDir.toString()));
      }
    }
    command.addAll(List.of("-jar", jar.toString(), "server", "--data-dir", dataDir.toString(),
        "--https-listen-port", Integer.toString(port), "--bind-address", "127.0.0.1",
        "--disable-agent", "--token-auth-file", tokens.toString()));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile()).start();
    long deadline = start + TimeUnit.SECONDS.toNanos(60);
    ServerProcess server = null;
    HttpClient client = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "server exited: " + Files.readString(dataDir.resolve("server.log")));
      }
      // The kubeconfig (with the cluster CA) is written before the server listens.
      if (client == null && Files.exists(dataDir.resolve("kubeconfig.yaml"))) {
        server = new ServerProcess(process, dataDir, port, 0);
        try {
          client = server.newClient();
        } catch (Exception halfWritten) {
          client = null; // read it again on the next round
        }
      }
      if (client != null) {
        try {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/readyz"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().strip().equals("ok")) {
            return new ServerProcess(process, dataDir, port, (System.nanoTime() - start) / 1_000_000);
          }
        } catch (IOException notYet) {
          // not listening yet
        }
      }
      Thread.sleep(10);
    }
    process.destroyForcibly();
    throw new IllegalStateException("server not ready within 60 s");
  }

  long readyMillis() {
    return readyMillis;
  }

  URI uri(String path) {
    return URI.create("https://127.0.0.1:" + port + path);
  }

  /** An HTTP/2 client that trusts only the cluster CA of this server's kubeconfig. */
  HttpClient newClient() throws Exception {
    return KubeconfigTrust.httpClient(dataDir.resolve("kubeconfig.yaml"));
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(60));
  }

  /** CPU time (user + system) the server process has used so far, in ms, from /proc (100 ticks/s). */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the command: state is field 3, utime 14 and stime 15 of the whole line
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  /** Resident set size of the server process, in MiB, from /proc. */
  long rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
