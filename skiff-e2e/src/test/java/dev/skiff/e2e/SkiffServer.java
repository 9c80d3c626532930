package dev.skiff.e2e;

import dev.skiff.testkit.Kubectl;
import dev.skiff.testkit.SkiffServerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code skiff server} process started from the fat jar, as a user would start it, on a
 * loopback port: testkit's {@link SkiffServerProcess} with the e2e module's jar and defaults.
 */
final class SkiffServer implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final SkiffServerProcess process;

  private SkiffServer(SkiffServerProcess process) {
    this.process = process;
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

  private static SkiffServer launch(Path dataDir, int port, List<String> args) throws IOException {
    Path jar = Path.of(System.getProperty("skiff.jar", "../skiff-cli/target/skiff.jar"));
    try {
      return new SkiffServer(SkiffServerProcess.start(jar, dataDir, port, args, READY_TIMEOUT));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting skiff server", e);
    }
  }

  static int freePort() throws IOException {
    return SkiffServerProcess.freePort();
  }

  /** Waits for the {@code default} ServiceAccount of {@code namespace}, without which pods are refused. */
  void awaitDefaultServiceAccount(String namespace) {
    try {
      process.awaitDefaultServiceAccount(namespace, Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  Path kubeconfig() {
    return process.kubeconfig();
  }

  Kubectl kubectl() {
    return process.kubectl();
  }

  String url() {
    return process.url();
  }

  int port() {
    return process.port();
  }

  @Override
  public void close() {
    process.close();
  }
}
