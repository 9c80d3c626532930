package dev.skiff.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Upstream's worker.go rules for a probe that cannot run: an error is retried at once (three runs
 * in all) and then thrown away, so it neither flips the result nor breaks a run of failures.
 */
class ProbeWorkerTest {

  private static final ProbeTarget TARGET = new ProbeTarget(new ContainerBuilder().withName("app").build(),
      "c0ffee", "10.42.0.9");

  /** Plays back outcomes in order, then repeats the last one. */
  private static final class Script implements ProbeWorker.Action {
    private final Deque<ProbeOutcome> outcomes;
    final AtomicInteger runs = new AtomicInteger();

    Script(ProbeOutcome... outcomes) {
      this.outcomes = new ArrayDeque<>(List.of(outcomes));
    }

    @Override
    public synchronized ProbeOutcome run(Probe probe, ProbeTarget target) {
      runs.incrementAndGet();
      return outcomes.size() > 1 ? outcomes.poll() : outcomes.peek();
    }
  }

  private record Seen(String what, String detail) {}

  private static ProbeWorker worker(ProbeKind kind, int failureThreshold, Script script, List<Seen> seen) {
    Probe probe = new ProbeBuilder().withNewExec().withCommand("true").endExec().withPeriodSeconds(1)
        .withFailureThreshold(failureThreshold).build();
    return new ProbeWorker("ns/pod", kind, probe, TARGET, Instant.now(), script, () -> true,
        new ProbeWorker.Listener() {
          @Override
          public void changed(ProbeWorker w, ProbeResult result, String detail) {
            seen.add(new Seen(result.name(), detail));
          }

          @Override
          public void errored(ProbeWorker w, String detail) {
            seen.add(new Seen("ERROR", detail));
          }
        });
  }

  @Test
  void anErrorIsRetriedThenThrownAwayWithoutFailingTheProbe() {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    // a liveness probe with threshold 1: a single failure would kill the container
    var script = new Script(ProbeOutcome.error("no port"), ProbeOutcome.error("no port"), ProbeOutcome.error("no port"),
        ProbeOutcome.failure("exit 1"));
    try (var w = worker(ProbeKind.LIVENESS, 1, script, seen)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
      assertThat(seen).containsExactly(new Seen("ERROR", "no port"), new Seen("FAILURE", "exit 1"));
      assertThat(w.result()).isEqualTo(ProbeResult.FAILURE);
      assertThat(script.runs.get()).as("three tries for the error, then the next period's run").isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void anErrorBetweenFailuresKeepsTheirCount() {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    var script = new Script(ProbeOutcome.failure("a"), ProbeOutcome.error("e"), ProbeOutcome.error("e"),
        ProbeOutcome.error("e"), ProbeOutcome.failure("b"));
    try (var w = worker(ProbeKind.LIVENESS, 2, script, seen)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
      assertThat(seen).containsExactly(new Seen("ERROR", "e"), new Seen("FAILURE", "b"));
      assertThat(w.result()).isEqualTo(ProbeResult.FAILURE);
    }
  }

  @Test
  void anErrorThatClearsOnARetryIsNotReported() {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    var script = new Script(ProbeOutcome.error("blip"), ProbeOutcome.success());
    try (var w = worker(ProbeKind.READINESS, 1, script, seen)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      assertThat(seen).containsExactly(new Seen("SUCCESS", ""));
    }
  }
}
