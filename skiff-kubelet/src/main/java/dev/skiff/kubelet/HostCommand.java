package dev.skiff.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One short-lived host tool the node agent runs ({@code ip}, {@code ctr}, {@code busybox}), with its
 * standard output and error merged and a hard time limit: a hung tool is killed by its PID, never
 * waited on for ever.
 *
 * @param command the executable and its arguments
 * @param timeout how long the tool may run
 */
public record HostCommand(List<String> command, Duration timeout) {

  /** What a finished command printed and how it exited. */
  public record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  public HostCommand {
    command = List.copyOf(command);
    Objects.requireNonNull(timeout, "timeout");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
  }

  /** A command with a ten-second limit. */
  public static HostCommand of(String... command) {
    return new HostCommand(List.of(command), Duration.ofSeconds(10));
  }

  /** The same command with another time limit. */
  public HostCommand withTimeout(Duration limit) {
    return new HostCommand(command, limit);
  }

  /**
   * Runs the command to its end.
   *
   * @throws IOException when it cannot start, or runs past the timeout (it is then killed)
   */
  public Result run() throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    // read on a virtual thread: reading on this one would block past the timeout if the tool hangs
    CompletableFuture<String> output = new CompletableFuture<>();
    Thread.ofVirtual().name("host-command-" + p.pid()).start(() -> {
      try (InputStream in = p.getInputStream()) {
        output.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.completeExceptionally(e);
      }
    });
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after " + timeout.toMillis() + " ms: " + this);
      }
      return new Result(p.exitValue(), output.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + this, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not read the output of " + this, e);
    }
  }

  /** Runs the command and returns its output; a non-zero exit is an {@link IOException} with that output. */
  public String output() throws IOException {
    Result r = run();
    if (!r.succeeded()) {
      throw new IOException(this + " failed (exit " + r.exitCode() + "): " + r.output().strip());
    }
    return r.output();
  }

  @Override
  public String toString() {
    return String.join(" ", command);
  }
}
