package dev.skiff.testkit;

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
import java.util.stream.Stream;

/**
 * A real {@code skiff server} process from the fat jar, on 127.0.0.1 and a free port, with its
 * data dir and a log file; {@link #start} returns once {@code /readyz} answers {@code ok}. Stopped
 * by its PID (SIGTERM, then SIGKILL after 30 s).
 */
public final class SkiffServerProcess implements AutoCloseable {
  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final long readyMillis;

  private SkiffServerProcess(Process process, Path dataDir, Path log, int port, long readyMillis) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
    this.readyMillis = readyMillis;
  }

  /**
   * Starts {@code java -jar jar server --data-dir dataDir --https-listen-port P --bind-address
   * 127.0.0.1 extraArgs...} and waits until it is ready.
   */
  public static SkiffServerProcess start(Path jar, Path dataDir, List<String> extraArgs, Duration readyTimeout)
      throws IOException, InterruptedException {
    return start(jar, dataDir, freePort(), extraArgs, readyTimeout);
  }

  /** As {@link #start(Path, Path, List, Duration)}, on the given port. */
  public static SkiffServerProcess start(Path jar, Path dataDir, int port, List<String> extraArgs,
      Duration readyTimeout) throws IOException, InterruptedException {
    return start(jar, dataDir, port, List.of(), extraArgs, readyTimeout);
  }

  /**
   * As {@link #start(Path, Path, int, List, Duration)}, with {@code jvmOptions} (a JFR recording,
   * heap flags) given to the server's JVM before {@code -jar}.
   */
  public static SkiffServerProcess start(Path jar, Path dataDir, int port, List<String> jvmOptions,
      List<String> extraArgs, Duration readyTimeout) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with 'mvn -DskipTests package'");
    }
    Files.createDirectories(dataDir);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "server", "--data-dir", dataDir.toString(),
        "--https-listen-port", Integer.toString(port), "--bind-address", "127.0.0.1"));
    command.addAll(extraArgs);
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    long begin = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SkiffServerProcess server = new SkiffServerProcess(process, dataDir, log, port, 0);
    try {
      server.awaitReady(readyTimeout);
    } catch (RuntimeException | IOException | InterruptedException e) {
      server.close();
      throw e;
    }
    return new SkiffServerProcess(process, dataDir, log, port, (System.nanoTime() - begin) / 1_000_000);
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient client = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("skiff server exited with " + process.exitValue() + ":\n" + log());
      }
      if (client == null && Files.exists(kubeconfig())) {
        try {
          client = KubeconfigTrust.httpClient(kubeconfig());
        } catch (IOException | java.security.GeneralSecurityException halfWritten) {
          client = null; // the kubeconfig is being written: read it again next round
        }
      }
      if (client != null) {
        try {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().strip().equals("ok")) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("skiff server not ready within " + timeout + ":\n" + log());
  }

  /**
   * Waits until the controller manager has made the {@code default} ServiceAccount of {@code
   * namespace}: until then the ServiceAccount admission plugin refuses pods there, as upstream's does
   * (upstream's e2e framework waits the same way before each test).
   */
  public void awaitDefaultServiceAccount(String namespace, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Kubectl kubectl = kubectl();
    while (kubectl.run("get", "serviceaccount", "default", "-n", namespace, "-o", "name").exitCode() != 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no default ServiceAccount in namespace " + namespace + " after " + timeout
            + " (is the controller manager running?):\n" + log());
      }
      Thread.sleep(100);
    }
  }

  /** A TCP port free on this machine right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Milliseconds from launch to {@code /readyz} answering ok. */
  public long readyMillis() {
    return readyMillis;
  }

  public Path kubeconfig() {
    return dataDir.resolve("kubeconfig.yaml");
  }

  public Kubectl kubectl() {
    return new Kubectl(kubeconfig());
  }

  public String url() {
    return "https://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The exit code, once the process has ended. */
  public int exitCode() {
    return process.exitValue();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Resident memory of the server and every process it started (containerd, shims, containers), in KiB. */
  public long treeRssKiB() {
    return Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants())
        .mapToLong(p -> rssKiB(p.pid())).sum();
  }

  /** Resident memory of one process, in KiB (0 if it is gone). */
  public static long rssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // exited meanwhile
    }
    return 0;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
