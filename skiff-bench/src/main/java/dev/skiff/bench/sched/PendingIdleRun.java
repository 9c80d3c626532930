package dev.skiff.bench.sched;

import dev.skiff.bench.PodMilestones;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The no-node case (issue 4): {@code count} pods that no node can take, created while the scheduler
 * runs; once each has failed once (its {@code PodScheduled=False} condition is written), how much CPU
 * the process (API server + scheduler) spends and how many writes reach storage while they wait.
 * Retries through back-off must not write per attempt, and an idle cluster must stay idle.
 */
final class PendingIdleRun {
  private static final Predicate<Pod> FAILED_ONCE = p -> p.getStatus() != null && p.getStatus().getConditions() != null
      && p.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())
          && "False".equals(c.getStatus()));

  private final int count;
  private final Duration settle;
  private final Duration window;
  private final Consumer<String> progress;

  PendingIdleRun(int count, Duration settle, Duration window, Consumer<String> progress) {
    this.count = count;
    this.settle = settle;
    this.window = window;
    this.progress = progress;
  }

  /** Runs and returns one line of figures. */
  String run(Path dir) throws Exception {
    try (InProcessControlPlane plane = new InProcessControlPlane(dir);
        KubernetesClient client = plane.newClient()) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("sched-1").endMetadata().build())
          .create();
      plane.startScheduler();
      progress.accept("pending: creating " + count + " pods, no nodes");
      List<KubernetesClient> connections = new ArrayList<>();
      try (PodMilestones failed = new PodMilestones(plane.informers(), "sched-1", count, FAILED_ONCE)) {
        for (int c = 0; c < ShapeRun.CONNECTIONS; c++) {
          connections.add(plane.newClient());
        }
        long t0 = System.nanoTime();
        new FastCreates(connections, ShapeRun.IN_FLIGHT).run("api/v1/namespaces/sched-1/pods",
            FastCreates.encode(client, count, PerfPods::basic), new long[count], new long[count]);
        long limit = Math.max(180, count / 10);
        while (!failed.await(Duration.ofSeconds(10))) {
          progress.accept("pending: " + failed.reached() + " of " + count + " pods marked PodScheduled=False");
          if ((System.nanoTime() - t0) / 1_000_000_000L > limit) {
            throw new IllegalStateException("only " + failed.reached() + " of " + count + " pods were marked unschedulable");
          }
        }
        progress.accept("pending: all marked after " + (System.nanoTime() - t0) / 1_000_000 + " ms; settling " + settle);
      } finally {
        connections.forEach(KubernetesClient::close);
      }
      Thread.sleep(settle);
      long rev0 = revision(client);
      long cpu0 = processCpuNanos();
      long wall0 = System.nanoTime();
      Thread.sleep(window);
      double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
      double wallSeconds = (System.nanoTime() - wall0) / 1e9;
      long writes = revision(client) - rev0;
      return String.format(Locale.ROOT, "%,d pending pods, no nodes: over %.0f s (after %d s settling) the process used "
          + "%.2f s of CPU (%.1f%% of one core) and storage took %d writes", count, wallSeconds, settle.toSeconds(),
          cpuSeconds, 100 * cpuSeconds / wallSeconds, writes);
    }
  }

  /** The store's revision now (every write bumps it), from a one-item list. */
  private static long revision(KubernetesClient client) {
    return Long.parseLong(client.namespaces().list().getMetadata().getResourceVersion());
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
