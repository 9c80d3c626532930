package dev.skiff.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd server ({@code /usr/bin/etcd}) on loopback ports, for tests.
 *
 * <p>{@link #start()} runs a one-member cluster in a fresh temporary directory and returns once
 * the server answers {@code /health}; {@link #close()} stops it by its PID and deletes the
 * directory. Raft timing is shortened ({@code --heartbeat-interval 10 --election-timeout 100}) so
 * that a member is leader within milliseconds, and {@code --max-request-bytes} is raised to
 * {@value #MAX_REQUEST_BYTES} so that a value of {@code Store.MAX_VALUE_BYTES} (1.5 MiB) plus
 * its key and framing fits in one request.
 *
 * <p>If etcd is not installed, starting fails with a message that says how to install it.
 *
 * <p>Instances are thread-safe; {@link #kill()} and {@link #close()} may be called from any thread.
 */
public final class EtcdProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdProcess.class);

  /** Where Debian's {@code etcd-server} package installs the server. */
  public static final Path BINARY = Path.of("/usr/bin/etcd");

  /** etcd's request limit for test servers: 1.5 MiB of value plus room for key and framing. */
  public static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;

  private final EtcdMember member;
  private final Process process;
  private final Path logFile;
  // a one-member process owns its temp directory; a cluster member's belongs to the cluster
  private final Path ownedRoot;

  private EtcdProcess(EtcdMember member, Process process, Path logFile, Path ownedRoot) {
    this.member = member;
    this.process = process;
    this.logFile = logFile;
    this.ownedRoot = ownedRoot;
  }

  /**
   * Starts a one-member etcd on free loopback ports in a new temporary directory and waits until
   * it is healthy. A port taken by someone else between choosing and binding it makes etcd exit;
   * then it is tried again on other ports.
   *
   * @throws IllegalStateException if etcd is not installed or does not become healthy
   */
  public static EtcdProcess start() {
    requireBinary();
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      Path root = createTempDir("skiff-etcd-");
      int[] ports = freePorts(2);
      EtcdMember member = new EtcdMember("solo", root.resolve("data"), ports[0], ports[1]);
      EtcdProcess etcd =
          launch(member, EtcdMember.initialCluster(List.of(member)), false, root, root);
      try {
        etcd.awaitHealthy(HEALTH_TIMEOUT);
        return etcd;
      } catch (IllegalStateException e) {
        last = e;
        etcd.close();
        LOG.warn("etcd did not start (attempt {} of {}): {}", attempt, START_ATTEMPTS, e.getMessage());
      }
    }
    throw last;
  }

  /**
   * Starts one member's process without waiting for it to be healthy (a member of a new cluster
   * cannot be healthy before a quorum of its peers runs).
   *
   * @param initialCluster etcd's {@code --initial-cluster}
   * @param existing whether the member rejoins with its old data ({@code existing}) or the
   *     cluster is new
   * @param logDir where the process's output goes, in {@code NAME.log}
   * @param ownedRoot a directory to delete on {@link #close()}, or null
   */
  static EtcdProcess launch(
      EtcdMember member, String initialCluster, boolean existing, Path logDir, Path ownedRoot) {
    requireBinary();
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(
        List.of(
            "--name", member.name(),
            "--data-dir", member.dataDir().toString(),
            "--listen-client-urls", member.clientUri().toString(),
            "--advertise-client-urls", member.clientUri().toString(),
            "--listen-peer-urls", member.peerUri().toString(),
            "--initial-advertise-peer-urls", member.peerUri().toString(),
            "--initial-cluster", initialCluster,
            "--initial-cluster-state", existing ? "existing" : "new",
            "--initial-cluster-token", "skiff-test",
            "--heartbeat-interval", "10",
            "--election-timeout", "100",
            "--max-request-bytes", Integer.toString(MAX_REQUEST_BYTES),
            "--logger", "zap",
            "--log-outputs", "stderr",
            "--log-level", "warn"));
    Path logFile = logDir.resolve(member.name() + ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      LOG.debug("started etcd {} pid {} on {}", member.name(), process.pid(), member.clientUri());
      return new EtcdProcess(member, process, logFile, ownedRoot);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY, e);
    }
  }

  /** Fails with install instructions when etcd is missing. */
  static void requireBinary() {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "etcd is not installed at "
              + BINARY
              + "; install it with: apt-get install -y etcd-server");
    }
  }

  /**
   * Waits until {@code /health} answers healthy (the member has a leader and serves requests).
   *
   * @throws IllegalStateException if the process exits or the timeout passes; the message holds
   *     the end of etcd's log
   */
  void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "etcd " + member.name() + " exited with " + process.exitValue() + logTail());
        }
        try {
          if (get("/health").contains("\"health\":\"true\"")) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd", e);
    }
    throw new IllegalStateException(
        "etcd " + member.name() + " not healthy within " + timeout + logTail());
  }

  /** Whether this member is the raft leader, from its own metrics; false if it does not answer. */
  boolean isLeader() {
    try {
      return get("/metrics").lines().anyMatch(line -> line.equals("etcd_server_is_leader 1"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The body of a plain HTTP/1.0 GET on the client port. A raw socket rather than
   * {@code java.net.http.HttpClient}, whose first use costs a test several hundred milliseconds
   * of class loading while etcd itself is healthy in tens.
   */
  private String get(String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), member.clientPort()), 1000);
      socket.setSoTimeout(2000);
      socket.getOutputStream()
          .write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.0 200") && !response.startsWith("HTTP/1.1 200")) {
        throw new IOException("etcd answered " + response.lines().findFirst().orElse("nothing"));
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  public EtcdMember member() {
    return member;
  }

  /** The URI clients connect to. */
  public URI clientUri() {
    return member.clientUri();
  }

  /** The client URIs as a list, the shape a store's {@code connect} takes. */
  public List<URI> endpoints() {
    return List.of(member.clientUri());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process with SIGKILL, as a crash would, and waits for it to be gone. */
  public void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** Stops the process with SIGTERM, or SIGKILL if it lingers. */
  public void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("etcd {} pid {} ignored SIGTERM; killing it", member.name(), process.pid());
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Stops the process and, for a one-member process, deletes its directory. Idempotent. */
  @Override
  public void close() {
    stop();
    if (ownedRoot != null) {
      deleteRecursively(ownedRoot);
    }
  }

  private void waitForExit() {
    try {
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return "; last lines of "
          + logFile
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  static Path createTempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Picks {@code count} distinct free loopback ports. Another process may take one before etcd
   * binds it; callers retry on failure.
   */
  static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        // hold every socket until all are chosen, so the ports are distinct
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          LOG.debug("closing a probe socket failed", e);
        }
      }
    }
  }

  static void deleteRecursively(Path root) {
    Objects.requireNonNull(root, "root");
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("could not delete {}", root, e);
    }
  }
}
