package dev.skiff.bench.density;

import dev.skiff.bench.Latency;
import dev.skiff.bench.LatencyRecorder;
import dev.skiff.bench.PodMilestones;
import dev.skiff.testkit.SkiffServerProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Issue 4's density run: a real {@code skiff server --disable-agent --simulated-nodes N} process,
 * D Deployments of R replicas each created at once, and the time until every one of the D x R
 * pods is Running (as an informer sees it), with the server's resident memory and CPU time at the
 * end. The whole path is measured: deployment and replicaset controllers, scheduler, simulated
 * kubelets' status writes, and the API server under all of them.
 *
 * <p>Usage: {@code bin/bench density [--quick] [--nodes N] [--deployments D] [--replicas R]};
 * defaults 100 nodes, 30 Deployments, 100 replicas; {@code --quick} is 10 nodes, 5 x 20.
 */
public final class DensityBenchmark {
  static final String NAMESPACE = "density";

  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    boolean quick = a.contains("--quick");
    int nodes = intArg(a, "--nodes", quick ? 10 : 100);
    int deployments = intArg(a, "--deployments", quick ? 5 : 30);
    int replicas = intArg(a, "--replicas", quick ? 20 : 100);
    Path jar = Path.of(System.getProperty("skiff.jar", "skiff-cli/target/skiff.jar"));
    Path root = Files.createTempDirectory("skiff-bench-density");
    double load = loadAverage();
    progress("starting skiff server with " + nodes + " simulated nodes (load average " + load + ")");
    try (SkiffServerProcess server = SkiffServerProcess.start(jar, root.resolve("data"), SkiffServerProcess.freePort(),
        List.of("-Xmx2g"), List.of("--disable-agent", "--simulated-nodes", Integer.toString(nodes)),
        Duration.ofSeconds(120));
        KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build()) {
      try {
        run(server, client, nodes, deployments, replicas, load);
      } catch (RuntimeException e) {
        String log = server.log();
        System.err.println("[density] server log (end):\n" + log.substring(Math.max(0, log.length() - 6000)));
        throw e;
      }
    } finally {
      deleteTree(root);
    }
  }

  private static void run(SkiffServerProcess server, KubernetesClient client, int nodes, int deployments,
      int replicas, double load) throws InterruptedException {
    awaitNodes(client, nodes);
    long cpuBefore = cpuMillis(server.pid());
    long rssBefore = SkiffServerProcess.rssKiB(server.pid());
    createRetrying(() -> client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
        .endMetadata().build()).create());
    int total = deployments * replicas;
    try (PodMilestones running = new PodMilestones(client, NAMESPACE, total, PodMilestones.RUNNING)) {
      long start = System.nanoTime();
      for (int d = 0; d < deployments; d++) {
        Deployment deployment = deployment(d, replicas);
        createRetrying(() -> client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).create());
      }
      long created = System.nanoTime();
      progress(deployments + " Deployments of " + replicas + " created in " + (created - start) / 1_000_000 + " ms");
      long limit = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      while (!running.await(Duration.ofSeconds(10))) {
        progress(running.reached() + " of " + total + " pods Running");
        if (!ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false)) {
          throw new IllegalStateException("the skiff server exited during the run");
        }
        if (System.nanoTime() > limit) {
          throw new IllegalStateException("only " + running.reached() + " of " + total + " pods Running in 20 min");
        }
      }
      double seconds = (running.times().stream().mapToLong(Long::longValue).max().orElse(start) - start) / 1e9;
      LatencyRecorder sinceStart = new LatencyRecorder(total);
      running.times().forEach(t -> sinceStart.record(t - start));
      Latency l = Latency.of(sinceStart);
      long rss = SkiffServerProcess.rssKiB(server.pid());
      long cpu = cpuMillis(server.pid()) - cpuBefore;
      System.out.printf("%n## Density run, %s%n%n", Instant.now());
      System.out.printf(Locale.ROOT, "Machine: %d cores, load average %.1f at start and %.1f at end; "
          + "skiff server --disable-agent --simulated-nodes %d (-Xmx2g)%n%n",
          Runtime.getRuntime().availableProcessors(), load, loadAverage(), nodes);
      System.out.println("| nodes | Deployments x replicas | all Running after | pods/s | Running p50 / p99 "
          + "(since first create) | server RSS before / after | server CPU during the run |");
      System.out.println("|---|---|---|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| %d | %d x %d = %,d | **%.1f s** | %.0f | %.1f / %.1f s | %d / %d MiB | %.1f s |%n",
          nodes, deployments, replicas, total, seconds, total / seconds, l.p50Millis() / 1000,
          l.p99Millis() / 1000, rssBefore / 1024, rss / 1024, cpu / 1000.0);
    }
  }

  /** A Deployment of pause pods with small requests, as upstream's density test uses. */
  static Deployment deployment(int d, int replicas) {
    Map<String, String> labels = Map.of("app", "density-" + d);
    return new DeploymentBuilder().withNewMetadata().withName("density-" + d).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("pause").withImage("registry.k8s.io/pause:3.10")
        .withNewResources().withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("10Mi")))
        .endResources().endContainer().endSpec().endTemplate().endSpec().build();
  }

  /**
   * Runs a create, again when the connection broke under it (the JDK client may hand a request to an
   * HTTP/2 connection the loaded server has just closed); a 409 on a retry means the first try landed.
   */
  private static void createRetrying(Runnable create) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        create.run();
        return;
      } catch (KubernetesClientException e) {
        if (attempt > 1 && e.getCode() == 409) {
          return;
        }
        if (e.getCode() > 0 || attempt == 5) {
          throw e;
        }
        progress("create failed (" + e.getMessage() + "); retrying");
        Thread.sleep(500L * attempt);
      }
    }
  }

  private static void awaitNodes(KubernetesClient client, int nodes) throws InterruptedException {
    long limit = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    long ready = 0;
    while (ready < nodes) {
      if (System.nanoTime() > limit) {
        throw new IllegalStateException("only " + ready + " of " + nodes + " nodes Ready in 120 s");
      }
      Thread.sleep(200);
      try {
        ready = readyNodes(client);
      } catch (KubernetesClientException e) {
        // a loaded server may drop a connection while it starts its components: ask again
        progress("listing nodes failed (" + e.getMessage() + "); retrying");
      }
    }
    progress(nodes + " nodes Ready");
  }

  private static long readyNodes(KubernetesClient client) {
    return client.nodes().list().getItems().stream()
        .filter(n -> n.getStatus() != null && n.getStatus().getConditions() != null
            && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .count();
  }

  /** CPU time the process has used, in ms (user + system, from the OS). */
  private static long cpuMillis(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toMillis).orElse(0L);
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static int intArg(List<String> args, String name, int fallback) {
    int i = args.indexOf(name);
    return Optional.of(i).filter(x -> x >= 0 && x + 1 < args.size()).map(x -> Integer.parseInt(args.get(x + 1)))
        .orElse(fallback);
  }

  private static void progress(String step) {
    System.err.printf("[density] %s%n", step);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var files = Files.walk(root)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private DensityBenchmark() {}
}
