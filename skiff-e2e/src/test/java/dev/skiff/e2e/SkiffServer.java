package dev.skiff.e2e;

import dev.skiff.testkit.Kubectl;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code skiff server} process started from the fat jar, as a user would start it, on a
 * free loopback port. Stopped with SIGTERM (then SIGKILL after 15 s) by its own PID.
 */
final class SkiffServer implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final int port;

  private SkiffServer(Process process, Path dataDir, Path log, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code skiff server --disable-agent} on {@code dataDir} and waits for /readyz. */
  static SkiffServer start(Path dataDir, String... extraArgs) throws IOException {
    return start(dataDir, freePort(), extraArgs);
  }

  static SkiffServer start(Path dataDir, int port, String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("--disable-agent"));
    args.addAll(List.of(extraArgs));
    return launch(dataDir, port, args);
  }

  /** Starts {@code skiff server} with its node agent (needs root, containerd and runc). */
  static SkiffServer startWithAgent(Path dataDir) throws IOException {
    return launch(dataDir, freePort(), List.of());
  }

  private static SkiffServer launch(Path dataDir, int port, List<String> extraArgs)
      throws IOException {
    Path jar = Path.of(System.getProperty("skiff.jar", "../skiff-cli/target/skiff.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run 'mvn package' first");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-jar", jar.toString(), "server", "--data-dir", dataDir.toString(),
        "--https-listen-port", Integer.toString(port), "--bind-address", "127.0.0.1"));
    command.addAll(extraArgs);
    Files.createDirectories(dataDir);
    Path log = Files.createTempFile(dataDir.getParent(), "skiff-server-", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    SkiffServer server = new SkiffServer(process, dataDir, log, port);
    server.awaitReady();
    return server;
  }

  Path kubeconfig() {
    return dataDir.resolve("kubeconfig.yaml");
  }

  Kubectl kubectl() {
    return new Kubectl(kubeconfig());
  }

  String url() {
    return "https://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("skiff server exited with " + process.exitValue()
            + ":\n" + log());
      }
      if (Files.exists(kubeconfig())
          && kubectl().run("get", "--raw", "/readyz").stdout().strip().equals("ok")) {
        return;
      }
      sleep(Duration.ofMillis(100));
    }
    close();
    throw new IllegalStateException("skiff server not ready within " + READY_TIMEOUT + ":\n"
        + log());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  int exitCode() {
    return process.exitValue();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
