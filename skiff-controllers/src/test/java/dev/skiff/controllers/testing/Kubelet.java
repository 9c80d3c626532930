package dev.skiff.controllers.testing;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays the kubelet for one namespace: marks one not-ready pod Running and Ready every
 * {@code interval} (through {@link TestCluster#markReady}), until closed or 200 s have passed, so
 * a rollout takes many observable steps.
 */
public final class Kubelet implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public Kubelet(TestCluster cluster, String namespace, Duration interval) {
    thread = Thread.ofVirtual().name("test-kubelet").start(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
      while (running.get() && System.nanoTime() < deadline) {
        for (Pod p : cluster.client.pods().inNamespace(namespace).list().getItems()) {
          if (p.getMetadata().getDeletionTimestamp() == null && !ready(p) && cluster.markReady(p)) {
            break;
          }
        }
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** Whether the pod says Ready=True. */
  public static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }
}
