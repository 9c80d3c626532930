package dev.skiff.bench.sched;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches one namespace's pods through an informer and notes, per pod name, the monotonic time at
 * which it first showed the pod bound to a node: the end of a pod's scheduling as a client sees it.
 * An informer, not a bare watch: when the server ends a watch that fell behind, or answers a
 * resume with 410 Gone, the informer lists again and goes on, so a burst of bindings cannot end
 * the measurement (a pod first seen bound in a relist is timed at the relist).
 */
final class BindingClock implements AutoCloseable {
  private final ConcurrentHashMap<String, Long> boundAt = new ConcurrentHashMap<>();
  private final AtomicInteger bound = new AtomicInteger();
  private final CountDownLatch all;
  private final SharedIndexInformer<Pod> informer;

  BindingClock(KubernetesClient client, String namespace, int expected) {
    all = new CountDownLatch(expected);
    informer = client.pods().inNamespace(namespace).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        note(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        note(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      }
    });
    informer.start().toCompletableFuture().join();
  }

  private void note(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node != null && !node.isEmpty() && boundAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime()) == null) {
      bound.incrementAndGet();
      all.countDown();
    }
  }

  /** How many pods have been seen bound so far. */
  int bound() {
    return bound.get();
  }

  /** The monotonic time the pod was seen bound, or null if it has not been. */
  Long boundAt(String name) {
    return boundAt.get(name);
  }

  /** Waits until every expected pod is bound; false on timeout. */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    if (!informer.isRunning()) {
      throw new IllegalStateException("the pod informer stopped");
    }
    return all.await(timeout, unit);
  }

  @Override
  public void close() {
    informer.close();
  }
}
