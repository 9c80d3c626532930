package dev.skiff.bench.pods;

import dev.skiff.bench.Latency;
import dev.skiff.bench.LatencyRecorder;
import dev.skiff.testkit.SkiffServerProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 5's benchmark, as root on a machine with containerd, runc and the CNI plugins: the CRI floor
 * (pods straight through containerd), then a real {@code skiff server} with its node agent: time
 * from launch to the node Ready, the whole process tree's memory with no pods, and pod start-up
 * latency of one Deployment's pods (upstream's SLI: creation until all containers started,
 * observed via watch).
 *
 * <p>Usage: {@code bin/bench pods [--pods N] [--floor-only]} (default 30 pods); {@code --floor-only} skips the
 * server run, e.g. to profile containerd under {@code perf sched record}.
 */
public final class PodStartupBenchmark {
  private record Row(String what, String result) {}

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  public static void main(String[] args) throws Exception {
    int pods = 30;
    boolean floorOnly = List.of(args).contains("--floor-only");
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--pods")) {
        pods = Integer.parseInt(args[i + 1]);
      }
    }
    if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
      throw new IllegalStateException("run as root: this benchmark runs real containers");
    }
    Path jar = Path.of(System.getProperty("skiff.jar", "skiff-cli/target/skiff.jar"));
    Path root = Files.createTempDirectory("skiff-bench-pods");
    List<Row> rows = new ArrayList<>();
    try {
      progress("CRI floor: " + pods + " pods straight through containerd");
      CriFloor.Result floorRun = CriFloor.measure(Files.createDirectories(root.resolve("floor")), pods);
      Latency floor = floorRun.pods();
      rows.add(new Row("CRI floor: RunPodSandbox + CreateContainer + StartContainer, " + pods + " pods at once",
          latency(floor)));
      rows.add(new Row("… of which RunPodSandbox (pause container, netns, CNI bridge + portmap)",
          latency(floorRun.sandbox())));
      rows.add(new Row("… of which CreateContainer", latency(floorRun.create())));
      rows.add(new Row("… of which StartContainer", latency(floorRun.start())));
      rows.add(new Row("CRI floor: runtime CPU (containerd + shims + runc + CNI + containers' cgroups)",
          floorRun.cpu().describe(CORES)));
      rows.add(new Row("CRI floor: " + CriFloor.SEQUENTIAL + " pods one after another", latency(floorRun.sequential())));
      rows.add(new Row("… of which RunPodSandbox", latency(floorRun.sequentialSandbox())));
      rows.add(new Row("… runtime CPU of the pods run alone", floorRun.sequentialCpu().describePerPod()));
      // shown at once: a failing server run must not lose the floor's figures
      rows.forEach(r -> progress(r.what() + ": " + r.result()));
      if (!floorOnly) {
        Latency sli = serverRun(jar, root.resolve("server"), pods, rows);
        rows.add(new Row("ratio of p99 to the CRI floor's p99",
            String.format(Locale.ROOT, "%.2f", sli.p99Millis() / floor.p99Millis())));
      }
    } finally {
      deleteTree(root);
    }
    System.out.printf("%n## Pod start-up benchmark, %s%n%n", Instant.now());
    System.out.printf("Machine: %d cores; JVM %s; embedded storage; one node (this host)%n%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    System.out.println("| what | result |");
    System.out.println("|---|---|");
    rows.forEach(r -> System.out.printf("| %s | %s |%n", r.what(), r.result()));
  }

  private static Latency serverRun(Path jar, Path dataDir, int pods, List<Row> rows) throws Exception {
    progress("starting skiff server with its node agent");
    long launch = System.nanoTime();
    try (SkiffServerProcess server = SkiffServerProcess.start(jar, dataDir, List.of(), Duration.ofMinutes(3));
        KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build()) {
      awaitNodeReady(client, Duration.ofMinutes(3));
      long readyMillis = (System.nanoTime() - launch) / 1_000_000;
      rows.add(new Row("skiff server launch to /readyz", server.readyMillis() + " ms"));
      rows.add(new Row("skiff server launch to the node Ready", readyMillis + " ms"));
      Thread.sleep(10_000);
      rows.add(new Row("memory of the whole process tree, node Ready, no pods (RSS, 10 s after Ready)",
          server.treeRssKiB() / 1024 + " MiB"));
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build())
          .create();
      // pods are refused until the controller manager has made the namespace's default ServiceAccount
      client.serviceAccounts().inNamespace("bench").withName("default")
          .waitUntilCondition(java.util.Objects::nonNull, 30, java.util.concurrent.TimeUnit.SECONDS);
      progress("a Deployment of " + pods + " pods");
      LatencyRecorder latency = new LatencyRecorder(pods);
      long created;
      try (var accounting = CpuAccountingGroup.create("skiff-bench-server");
          PodStartWatch watch = new PodStartWatch(client, "bench", pods)) {
        // the node agent's containerd has started no shim yet: from now on all it forks is counted with it
        accounting.adopt(containerdOf(server.pid()));
        var before = RuntimeCpu.Sample.take(accounting);
        ProcessCpu serverCpu = ProcessCpu.of(server.pid());
        created = System.nanoTime();
        client.apps().deployments().inNamespace("bench").resource(new DeploymentBuilder()
            .withNewMetadata().withName("sleepers").endMetadata()
            .withNewSpec().withReplicas(pods).withNewSelector().addToMatchLabels("app", "sleepers").endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", "sleepers").endMetadata()
            .withNewSpec().withTerminationGracePeriodSeconds(1L).addNewContainer().withName("main")
            .withImage("docker.io/skiff/busybox:1.35").withCommand("sleep", "3600").endContainer().endSpec()
            .endTemplate().endSpec().build()).create();
        if (!watch.await(300)) {
          throw new IllegalStateException("only " + watch.startedCount() + " of " + pods + " pods started in 5 min");
        }
        long last = 0;
        for (Map.Entry<String, PodStartWatch.Times> e : watch.times().entrySet()) {
          latency.record(e.getValue().startedNanos() - e.getValue().seenNanos());
          last = Math.max(last, e.getValue().startedNanos());
        }
        rows.add(new Row("Deployment created to its last pod started", (last - created) / 1_000_000 + " ms"));
        RuntimeCpu cpu = RuntimeCpu.since(before, accounting, pods);
        rows.add(new Row("SLI run: runtime CPU (containerd + shims + runc + CNI + containers' cgroups)",
            cpu.describe(CORES)));
        rows.add(new Row("SLI run: skiff server JVM CPU (API server, controllers, scheduler, kubelet)",
            ProcessCpu.of(server.pid()).describeSince(serverCpu, pods, 8)));
      }
      Latency sli = Latency.of(latency);
      rows.add(new Row("pod start-up latency (SLI), " + pods + " pods of one Deployment", latency(sli)));
      progress("cleaning up");
      client.apps().deployments().inNamespace("bench").withName("sleepers").delete();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!client.pods().inNamespace("bench").list().getItems().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      return sli;
    } finally {
      stopLeftoverShims(dataDir);
      // what the node agent set up on this host, as the e2e test leaves it
      new ProcessBuilder("ip", "link", "delete", "skiff0").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
  }

  /**
   * Stops the runc shims (and what runs under them) of pods the node agent had not removed when the
   * server stopped (its containerd stops with it; shims outlive containerd by design). Only shims
   * whose containerd address lies under this run's {@code dataDir} are touched.
   */
  private static void stopLeftoverShims(Path dataDir) {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("containerd-shim"))
        .filter(p -> p.info().commandLine().orElse("").contains(dataDir.toString()))
        .forEach(shim -> {
          progress("stopping a leftover shim, pid " + shim.pid());
          shim.descendants().forEach(ProcessHandle::destroyForcibly);
          shim.destroy();
        });
  }

  /** The containerd the server's node agent started (a direct child of the server's JVM). */
  private static long containerdOf(long serverPid) {
    return ProcessHandle.of(serverPid).orElseThrow().children()
        .filter(p -> p.info().command().orElse("").endsWith("/containerd"))
        .findFirst().orElseThrow(() -> new IllegalStateException("no containerd under the server pid " + serverPid))
        .pid();
  }

  private static void awaitNodeReady(KubernetesClient client, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Node n : client.nodes().list().getItems()) {
        if (n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no node became Ready within " + timeout);
  }

  private static String latency(Latency l) {
    return String.format(Locale.ROOT, "p50 **%.0f ms**, p99 **%.0f ms**, max %.0f ms (%d pods)",
        l.p50Millis(), l.p99Millis(), l.maxMillis(), l.samples());
  }

  private static void progress(String step) {
    System.err.printf("[pods] %s%n", step);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
