package dev.skiff.bench.sched;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.informers.InformerScope;
import dev.skiff.informers.InformerSerialization;
import dev.skiff.informers.SharedInformerFactory;
import dev.skiff.scheduler.wiring.SchedulerConfig;
import dev.skiff.scheduler.wiring.SchedulerService;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What upstream's scheduler_perf runs: an API server on real storage (here embedded SQLite) and
 * the scheduler, in this process, with no kubelets; nodes are plain Node objects.
 */
final class InProcessControlPlane implements AutoCloseable {
  private final Store store;
  private final ApiServer server;
  private final Config clientConfig;
  private final KubernetesClient schedulerClient;
  /** The process's informers: the scheduler's, and the benchmark's clock reads the same pod cache. */
  private final SharedInformerFactory informers;
  private SchedulerService scheduler;

  InProcessControlPlane(Path dir) throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
    server.start();
    clientConfig = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
    clientConfig.setRequestTimeout(60_000);
    schedulerClient = newClient();
    informers = new SharedInformerFactory(schedulerClient);
  }

  /** A view of the process's shared informers (the scheduler's); close it when done. */
  InformerScope informers() {
    return informers.scope();
  }

  /** A fabric8 client with its own connection. */
  KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(clientConfig)
        .withKubernetesSerialization(InformerSerialization.create()).build();
  }

  /** Starts the default scheduler (no leader election) and waits until it schedules. */
  void startScheduler() throws InterruptedException {
    scheduler = new SchedulerService(schedulerClient,
        SchedulerConfig.defaults("bench-scheduler").withoutLeaderElection(), informers);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!scheduler.isScheduling()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the scheduler did not start within 120 s");
      }
      Thread.sleep(20);
    }
  }

  /** Stops the scheduler (pods created meanwhile wait unscheduled). */
  void stopScheduler() {
    if (scheduler != null) {
      scheduler.close();
      scheduler = null;
    }
  }

  @Override
  public void close() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    informers.close();
    schedulerClient.close();
    server.close();
    store.close();
  }
}
