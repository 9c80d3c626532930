package dev.skiff.e2e;

import dev.skiff.testkit.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * kubectl against one cluster, with what end-to-end tests keep needing: apply a manifest given as
 * text, and poll a command until its output satisfies a condition (generous deadlines, since the
 * machine is shared).
 */
final class ClusterProbe {
  private static final AtomicInteger MANIFESTS = new AtomicInteger();

  private final Kubectl kubectl;
  private final Path scratch;

  ClusterProbe(Kubectl kubectl, Path scratch) {
    this.kubectl = kubectl;
    this.scratch = scratch;
  }

  Kubectl kubectl() {
    return kubectl;
  }

  /** kubectl ARGS, which must succeed; its trimmed stdout. */
  String ok(String... args) {
    // longer than any --timeout the tests give kubectl itself, so kubectl reports its own time-outs
    return kubectl.run(Duration.ofSeconds(180), args).assertOk().stdout().strip();
  }

  /** {@code kubectl apply -f} of {@code yaml}, written to a scratch file (kubectl here gets no stdin). */
  void apply(String yaml) {
    Path file = scratch.resolve("manifest-" + MANIFESTS.incrementAndGet() + ".yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
    ok("apply", "-f", file.toString());
  }

  /** Polls ARGS every 250 ms until its trimmed stdout satisfies {@code done}; returns that output. */
  String await(Duration timeout, Predicate<String> done, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Kubectl.Result r = kubectl.run(Duration.ofSeconds(60), args);
      last = r.stdout().strip();
      if (r.exitCode() == 0 && done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("within " + timeout + ", kubectl " + String.join(" ", args)
        + " never printed what was expected; last: " + last);
  }

  /** As {@link #await(Duration, Predicate, String...)}, until the output equals {@code expected}. */
  String awaitEquals(Duration timeout, String expected, String... args) throws InterruptedException {
    return await(timeout, expected::equals, args);
  }

  /**
   * Pods of a namespace that are not being deleted, one {@code NAME NODE PHASE} row each (NODE is
   * {@code <none>} while unscheduled), selected by {@code selector}.
   */
  List<String> livePods(String namespace, String selector) {
    return ok("get", "pods", "-n", namespace, "-l", selector, "--no-headers", "-o",
        "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase,DEL:.metadata.deletionTimestamp")
        .lines().map(String::strip).filter(l -> !l.isEmpty()).filter(l -> l.endsWith("<none>"))
        .map(l -> l.substring(0, l.length() - "<none>".length()).strip()).toList();
  }
}
