package dev.skiff.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code kubectl} on PATH against a kubeconfig, with a bounded time per command. */
public final class Kubectl {
  /** What one kubectl run printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError("kubectl failed (" + exitCode + "): " + stderr + "\nstdout: " + stdout);
      }
      return this;
    }
  }

  private final Path kubeconfig;

  public Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /**
   * kubectl as another user of the same server: writes a kubeconfig {@code file} for {@code
   * server}, trusted through the PEM CA {@code caFile}, with the user stanza {@code userYaml} (e.g.
   * {@code {token: "X"}} or client certificate data) and no other credentials.
   */
  public static Kubectl forUser(Path file, String server, Path caFile, String userYaml) throws IOException {
    java.nio.file.Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster: {certificate-authority: "%s", server: "%s"}
          name: c
        contexts:
        - context: {cluster: c, user: u}
          name: c
        current-context: c
        users:
        - name: u
          user: %s
        """.formatted(caFile, server, userYaml));
    return new Kubectl(file);
  }

  public Result run(String... args) {
    return run(Duration.ofSeconds(30), args);
  }

  public Result run(Duration timeout, String... args) {
    Process p = start(args);
    try {
      CompletableFuture<String> out = read(p.getInputStream());
      CompletableFuture<String> err = read(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("kubectl " + String.join(" ", args) + " timed out; stderr so far: " + err.getNow(""));
      }
      return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed to run", e);
    }
  }

  /** Starts kubectl without waiting (for {@code get -w}); the caller destroys the process. */
  public Process start(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("HOME", kubeconfig.getParent().toString());
      pb.environment().remove("KUBECONFIG");
      // kubectl prompts for a user name when it has no credentials and stdin is open
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      return pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start kubectl", e);
    }
  }

  private static CompletableFuture<String> read(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }, r -> Thread.ofVirtual().start(r));
  }
}
