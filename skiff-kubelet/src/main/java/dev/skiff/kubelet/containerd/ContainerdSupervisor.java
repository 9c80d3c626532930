package dev.skiff.kubelet.containerd;

import dev.skiff.kubelet.cri.CriConnection;
import dev.skiff.kubelet.cri.CriException;
import dev.skiff.kubelet.cri.RuntimeVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's container runtime endpoint: either a containerd that this object started and owns
 * ({@link #start}), or an existing CRI socket that someone else runs ({@link #attach}).
 *
 * <p>Either way, construction returns only once the socket answers CRI Version, so a caller may use
 * {@link #socket()} at once. {@link #close()} stops an owned containerd by its PID (SIGTERM, then
 * SIGKILL after a grace period) and leaves an attached one alone. containerd's shims outlive it by
 * design: stop and remove pod sandboxes through CRI before closing, or their containers keep running.
 *
 * <p>Not thread-safe: one owner starts and closes it.
 */
public final class ContainerdSupervisor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerdSupervisor.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(5);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Path socket;
  private final Optional<Process> process;
  private final RuntimeVersion version;
  private final Readiness readiness;
  /** Stops an owned containerd when the JVM exits without closing this (Ctrl-C on {@code skiff server}). */
  private final Optional<Thread> shutdownHook;

  /**
   * How long the endpoint took to come up, both from the start (or attach) call.
   *
   * @param socketAfter until the socket file existed (containerd listening)
   * @param readyAfter until CRI Version answered; includes the first gRPC channel's set-up, which in
   *     a fresh JVM (class loading) is most of it
   */
  public record Readiness(Duration socketAfter, Duration readyAfter) {}

  private ContainerdSupervisor(Path socket, Optional<Process> process, RuntimeVersion version, Readiness readiness) {
    this.socket = socket;
    this.process = process;
    this.version = version;
    this.readiness = readiness;
    this.shutdownHook = process.map(p -> new Thread(() -> stop(p), "containerd-stop-" + p.pid()));
    shutdownHook.ifPresent(Runtime.getRuntime()::addShutdownHook);
  }

  /**
   * Writes {@code config}'s file and starts {@code containerd --config FILE}, logging to
   * {@link ContainerdConfig#logFile()}, then waits until CRI answers Version.
   *
   * @throws IOException when containerd cannot start, exits, or is not ready within {@code timeout}
   *     (it is then stopped again); the message carries the log's tail
   */
  public static ContainerdSupervisor start(ContainerdConfig config, Duration timeout) throws IOException {
    Objects.requireNonNull(config, "config");
    long begin = System.nanoTime();
    for (Path dir : List.of(config.dataDir(), config.root(), config.state(), config.cniConfDir())) {
      Files.createDirectories(dir);
    }
    stopOrphan(config);
    Files.writeString(config.configFile(), config.toml());
    // a socket left by a containerd that died makes the new one fail to listen
    Files.deleteIfExists(config.socket());
    Files.deleteIfExists(Path.of(config.socket() + ".ttrpc"));

    var builder = new ProcessBuilder(config.containerdBinary().toString(), "--config", config.configFile().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logFile().toFile()));
    // containerd finds its shim and the shim finds runc on PATH; a JVM started by a user may lack the sbin dirs
    String path = builder.environment().getOrDefault("PATH", "");
    builder.environment().put("PATH", path + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    Process process = builder.start();
    Files.writeString(pidFile(config), Long.toString(process.pid()));
    LOG.info("started containerd pid={} config={}", process.pid(), config.configFile());
    try {
      long[] socketAt = new long[1];
      RuntimeVersion version = awaitReady(config.socket(), Optional.of(process), timeout, config.logFile(), socketAt);
      var readiness = new Readiness(Duration.ofNanos(socketAt[0] - begin), Duration.ofNanos(System.nanoTime() - begin));
      LOG.info("containerd pid={} listening after {} ms, CRI ready after {} ms: {} {}", process.pid(),
          readiness.socketAfter().toMillis(), readiness.readyAfter().toMillis(),
          version.runtimeName(), version.runtimeVersion());
      return new ContainerdSupervisor(config.socket(), Optional.of(process), version, readiness);
    } catch (IOException | RuntimeException e) {
      stop(process);
      throw e;
    }
  }

  private static Path pidFile(ContainerdConfig config) {
    return config.dataDir().resolve("containerd.pid");
  }

  /**
   * Stops a containerd that an earlier supervisor of this data dir started and never stopped (its
   * JVM was killed): two containerds on one root would block on the metadata database's lock. Only
   * the PID in the data dir's pid file is touched, and only if that process still runs containerd
   * with this data dir's config file.
   */
  private static void stopOrphan(ContainerdConfig config) throws IOException {
    Path pidFile = pidFile(config);
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).strip());
    } catch (NumberFormatException e) {
      Files.delete(pidFile);
      return;
    }
    Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
        .filter(p -> p.info().commandLine().orElse("").contains(config.configFile().toString()));
    if (orphan.isPresent()) {
      LOG.warn("stopping orphaned containerd pid={} of {}", pid, config.dataDir());
      orphan.get().destroy();
      try {
        orphan.get().onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        orphan.get().destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping an orphaned containerd", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("could not wait for orphaned containerd pid " + pid, e);
      }
    }
    Files.delete(pidFile);
  }

  /** Uses a CRI socket that something else serves; waits until it answers Version. */
  public static ContainerdSupervisor attach(Path socket, Duration timeout) throws IOException {
    Objects.requireNonNull(socket, "socket");
    long begin = System.nanoTime();
    long[] socketAt = new long[1];
    RuntimeVersion version = awaitReady(socket, Optional.empty(), timeout, null, socketAt);
    var readiness = new Readiness(Duration.ofNanos(socketAt[0] - begin), Duration.ofNanos(System.nanoTime() - begin));
    return new ContainerdSupervisor(socket, Optional.empty(), version, readiness);
  }

  /** Waits for the socket (noting when it appeared in {@code socketAt[0]}, nanoTime) and then for CRI Version. */
  private static RuntimeVersion awaitReady(Path socket, Optional<Process> process, Duration timeout, Path logFile,
      long[] socketAt) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    // a gRPC channel to a socket that does not exist yet backs off for a second or more: connect only once it is there
    while (!Files.exists(socket)) {
      checkAlive(process, logFile);
      if (System.nanoTime() > deadline) {
        throw new IOException("no CRI socket at " + socket + " after " + timeout.toMillis() + " ms" + tail(logFile));
      }
      sleep(POLL);
    }
    socketAt[0] = System.nanoTime();
    try (CriConnection cri = CriConnection.open(socket, PROBE_TIMEOUT)) {
      while (true) {
        checkAlive(process, logFile);
        try {
          // the CRI plugin refuses calls until it has initialised, after the socket is up
          return cri.runtime().version(PROBE_TIMEOUT);
        } catch (CriException e) {
          if (System.nanoTime() > deadline) {
            throw new IOException("CRI at " + socket + " not ready after " + timeout.toMillis() + " ms: "
                + e.getMessage() + tail(logFile), e);
          }
          LOG.debug("CRI not ready yet: {}", e.getMessage());
          sleep(POLL);
        }
      }
    }
  }

  private static void checkAlive(Optional<Process> process, Path logFile) throws IOException {
    if (process.isPresent() && !process.get().isAlive()) {
      throw new IOException("containerd exited with status " + process.get().exitValue() + tail(logFile));
    }
  }

  private static String tail(Path logFile) {
    if (logFile == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(logFile);
      return "; last lines of " + logFile + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "; log unreadable: " + e.getMessage();
    }
  }

  private static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for containerd", e);
    }
  }

  /** The CRI socket. */
  public Path socket() {
    return socket;
  }

  /** What the runtime answered to Version when it became ready. */
  public RuntimeVersion version() {
    return version;
  }

  /** How long start (or attach) took until the socket listened and until CRI answered. */
  public Readiness readiness() {
    return readiness;
  }

  /** The PID of the owned containerd; empty when attached. */
  public OptionalLong pid() {
    return process.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
  }

  /** Whether this object started containerd (and so stops it on close). */
  public boolean supervised() {
    return process.isPresent();
  }

  /** Stops an owned containerd and waits until it has exited; does nothing for an attached socket. */
  @Override
  public void close() {
    shutdownHook.ifPresent(hook -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is exiting and the hook runs (or ran) anyway
      }
    });
    process.ifPresent(p -> {
      stop(p);
      try {
        // the socket lies in the data dir, beside the pid file
        Files.deleteIfExists(socket.resolveSibling("containerd.pid"));
      } catch (IOException e) {
        LOG.warn("could not remove containerd's pid file: {}", e.toString());
      }
    });
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("containerd pid={} ignored SIGTERM for {} s; killing it", process.pid(), STOP_GRACE.toSeconds());
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    LOG.info("containerd pid={} stopped", process.pid());
  }
}
