package dev.skiff.bench.sched;

import dev.skiff.bench.Latency;
import dev.skiff.bench.LatencyRecorder;
import dev.skiff.bench.PodMilestones;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs one {@link SchedulingShape} on a fresh in-process control plane: creates the nodes, starts the
 * scheduler, creates and waits for the initial pods, then creates the measured pods from pre-encoded
 * bodies with {@value #IN_FLIGHT} requests in flight over {@value #CONNECTIONS} connections
 * ({@link FastCreates}) while an informer notes when each is bound.
 */
final class ShapeRun {
  static final int CLIENTS = 32;
  static final int CONNECTIONS = 4;
  static final int IN_FLIGHT = 64;

  private final SchedulingShape shape;
  private final boolean backlog;
  private final Consumer<String> progress;

  /**
   * @param backlog create the measured pods while the scheduler is stopped, then time how fast a
   *     started scheduler drains them (the scheduler's own rate, free of the API's create rate)
   */
  ShapeRun(SchedulingShape shape, boolean backlog, Consumer<String> progress) {
    this.shape = shape;
    this.backlog = backlog;
    this.progress = progress;
  }

  ShapeResult run(Path dir) throws Exception {
    long setupStart = System.nanoTime();
    try (InProcessControlPlane plane = new InProcessControlPlane(dir);
        KubernetesClient client = plane.newClient()) {
      for (String ns : PerfPods.namespaces()) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      if (shape.needsPriorityClasses()) {
        client.resource(new PriorityClassBuilder().withNewMetadata().withName(PerfPods.LOW_PRIORITY_CLASS)
            .endMetadata().withValue(0).build()).create();
        client.resource(new PriorityClassBuilder().withNewMetadata().withName(PerfPods.HIGH_PRIORITY_CLASS)
            .endMetadata().withValue(10).build()).create();
      }
      progress.accept(shape.name() + ": creating " + shape.nodes() + " nodes");
      ParallelCreates.run(shape.nodes(), CLIENTS,
          i -> client.nodes().resource(PerfNodes.node(i, shape.zones())).create());
      int listed = client.nodes().list().getItems().size();
      if (listed != shape.nodes()) {
        throw new IllegalStateException("created " + shape.nodes() + " nodes but the API lists " + listed);
      }
      plane.startScheduler();
      if (shape.initCount() > 0) {
        progress.accept(shape.name() + ": " + shape.initCount() + " initial pods");
        try (PodMilestones init = new PodMilestones(plane.informers(), "sched-0", shape.initCount(), PodMilestones.BOUND)) {
          ParallelCreates.run(shape.initCount(), CLIENTS,
              i -> client.pods().inNamespace("sched-0").resource(shape.initPods().apply(i)).create());
          awaitBound(init, shape.initCount(), "initial");
        }
      }
      long setupMillis = (System.nanoTime() - setupStart) / 1_000_000;
      progress.accept(shape.name() + ": " + shape.measuredCount() + " measured pods");
      List<KubernetesClient> connections = new ArrayList<>();
      try {
        for (int c = 0; c < CONNECTIONS; c++) {
          connections.add(plane.newClient());
        }
        FastCreates creates = new FastCreates(connections, IN_FLIGHT);
        List<byte[]> bodies = FastCreates.encode(client, shape.measuredCount(), shape.measuredPods());
        ShapeResult result = backlog ? measureDrain(plane, client, creates, bodies, setupMillis)
            : measure(plane, creates, bodies, setupMillis);
        // the scheduler writes Scheduled events after the bindings: count them, and the CPU they cost after
        // the last binding, so that events left to write after the clock stops are not free
        long cpuBefore = processCpuNanos();
        int events = scheduledEvents(client);
        double eventTail = (processCpuNanos() - cpuBefore) / 1e6 / shape.measuredCount();
        progress.accept(String.format(Locale.ROOT, "%s: %d Scheduled events for the %d measured pods (past the "
            + "scheduler's 1,000-event queue they are dropped, as upstream's); CPU until they settled: %.2f ms per pod "
            + "more", shape.name(), events, shape.measuredCount(), eventTail));
        return result;
      } finally {
        connections.forEach(KubernetesClient::close);
      }
    }
  }

  private static final String MEASURED_PODS = "api/v1/namespaces/sched-1/pods";

  private ShapeResult measure(InProcessControlPlane plane, FastCreates creates, List<byte[]> bodies, long setupMillis)
      throws Exception {
    int n = shape.measuredCount();
    long[] createdAt = new long[n];
    long[] createdDone = new long[n];
    try (PodMilestones clock = new PodMilestones(plane.informers(), "sched-1", n, PodMilestones.BOUND)) {
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      List<Integer> perSecond = new ArrayList<>();
      Thread sampler = Thread.ofVirtual().start(() -> sampleEverySecond(clock, perSecond));
      creates.run(MEASURED_PODS, bodies, createdAt, createdDone);
      long createsEnd = Arrays.stream(createdDone).max().orElse(start);
      awaitBound(clock, n, "measured");
      double cpuPerPod = (processCpuNanos() - cpuStart) / 1e6 / n;
      sampler.interrupt();
      sampler.join();
      LatencyRecorder latency = new LatencyRecorder(n);
      long lastBound = start;
      for (int i = 0; i < n; i++) {
        long bound = clock.reachedAt("pod-" + i);
        latency.record(Math.max(0, bound - createdAt[i]));
        lastBound = Math.max(lastBound, bound);
      }
      double seconds = (lastBound - start) / 1e9;
      double createSeconds = (createsEnd - start) / 1e9;
      synchronized (perSecond) {
        return new ShapeResult(shape, n, n / seconds, median(perSecond), n / createSeconds, Latency.of(latency),
            setupMillis, cpuPerPod);
      }
    }
  }

  private ShapeResult measureDrain(InProcessControlPlane plane, KubernetesClient client, FastCreates creates,
      List<byte[]> bodies, long setupMillis) throws Exception {
    int n = shape.measuredCount();
    plane.stopScheduler();
    long createStart = System.nanoTime();
    creates.run(MEASURED_PODS, bodies, new long[n], new long[n]);
    double createSeconds = (System.nanoTime() - createStart) / 1e9;
    try (PodMilestones clock = new PodMilestones(plane.informers(), "sched-1", n, PodMilestones.BOUND)) {
      List<Integer> perSecond = new ArrayList<>();
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      plane.startScheduler();
      Thread sampler = Thread.ofVirtual().start(() -> sampleEverySecond(clock, perSecond));
      awaitBound(clock, n, "measured");
      double cpuPerPod = (processCpuNanos() - cpuStart) / 1e6 / n;
      sampler.interrupt();
      sampler.join();
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      LatencyRecorder sinceStart = new LatencyRecorder(n);
      for (int i = 0; i < n; i++) {
        long bound = clock.reachedAt("pod-" + i);
        first = Math.min(first, bound);
        last = Math.max(last, bound);
        sinceStart.record(Math.max(0, bound - start));
      }
      synchronized (perSecond) {
        return new ShapeResult(shape, n, (n - 1) / Math.max(1e-9, (last - first) / 1e9), median(perSecond),
            n / createSeconds, Latency.of(sinceStart), setupMillis, cpuPerPod);
      }
    }
  }

  /**
   * The Scheduled events written about measured pods, once their count has not grown for 3 s (they are
   * written after the bindings, behind the scheduler's event queue), or after 60 s.
   */
  private static int scheduledEvents(KubernetesClient client) throws InterruptedException {
    int last = -1;
    int still = 0;
    for (int i = 0; i < 60 && still < 3; i++) {
      int now = client.v1().events().inNamespace("sched-1").withField("reason", "Scheduled").list().getItems().size();
      still = now == last ? still + 1 : 0;
      last = now;
      Thread.sleep(1000);
    }
    return last;
  }

  private void awaitBound(PodMilestones clock, int expected, String which) throws InterruptedException {
    long limitSeconds = Math.max(180, expected / 20L);
    while (!clock.await(Duration.ofSeconds(10))) {
      progress.accept(String.format("%s: %d of %d %s pods bound", shape.name(), clock.reached(), expected, which));
      limitSeconds -= 10;
      if (limitSeconds <= 0) {
        throw new IllegalStateException(shape.name() + ": only " + clock.reached() + " of " + expected + " "
            + which + " pods were bound in time");
      }
    }
  }

  /** Counts the pods bound in each whole second until interrupted (upstream's throughput samples). */
  private static void sampleEverySecond(PodMilestones clock, List<Integer> perSecond) {
    int last = clock.reached();
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      int now = clock.reached();
      synchronized (perSecond) {
        perSecond.add(now - last);
      }
      last = now;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(List<Integer> samples) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    List<Integer> sorted = samples.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
