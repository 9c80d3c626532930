package dev.skiff.bench.sched;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches one namespace's pods and notes, per pod name, the monotonic time at which the watch first
 * showed it bound to a node: the end of a pod's scheduling as a client sees it.
 */
final class BindingClock implements AutoCloseable {
  private final ConcurrentHashMap<String, Long> boundAt = new ConcurrentHashMap<>();
  private final AtomicInteger bound = new AtomicInteger();
  private final CountDownLatch all;
  private final Watch watch;
  private volatile String failure;

  BindingClock(KubernetesClient client, String namespace, int expected) {
    all = new CountDownLatch(expected);
    watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node != null && !node.isEmpty()
            && boundAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime()) == null) {
          bound.incrementAndGet();
          all.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        failure = "the pod watch closed: " + cause.getMessage();
        while (all.getCount() > 0) {
          all.countDown();
        }
      }
    });
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
    boolean done = all.await(timeout, unit);
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    return done;
  }

  @Override
  public void close() {
    watch.close();
  }
}
