package dev.skiff.controllers.testing;

import java.io.File;
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

  public Result run(String... args) {
    return run(Duration.ofSeconds(30), args);
  }

  public Result run(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("HOME", kubeconfig.getParent().toString());
      pb.environment().remove("KUBECONFIG");
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      p = pb.start();
    } catch (java.io.IOException e) {
      throw new AssertionError("kubectl did not start", e);
    }
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
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

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
