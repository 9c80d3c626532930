package dev.skiff.bench.pods;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's pod start-up SLI as a watcher sees it: for each pod of a namespace, the time the watch
 * first showed it (its creation) and the time it first showed every container started.
 */
final class PodStartWatch implements AutoCloseable {
  record Times(long seenNanos, long startedNanos) {}

  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final CountDownLatch all;
  private final Watch watch;

  PodStartWatch(KubernetesClient client, String namespace, int expected) {
    all = new CountDownLatch(expected);
    watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        long now = System.nanoTime();
        String name = pod.getMetadata().getName();
        seen.putIfAbsent(name, now);
        if (allStarted(pod) && started.putIfAbsent(name, now) == null) {
          all.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        while (all.getCount() > 0) {
          all.countDown();
        }
      }
    });
  }

  private static boolean allStarted(Pod pod) {
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    return statuses != null && !statuses.isEmpty()
        && statuses.size() == pod.getSpec().getContainers().size()
        && statuses.stream().allMatch(s -> s.getState() != null && s.getState().getRunning() != null);
  }

  boolean await(long seconds) throws InterruptedException {
    return all.await(seconds, TimeUnit.SECONDS);
  }

  int startedCount() {
    return started.size();
  }

  Map<String, Times> times() {
    Map<String, Times> out = new ConcurrentHashMap<>();
    started.forEach((name, t) -> out.put(name, new Times(seen.get(name), t)));
    return out;
  }

  @Override
  public void close() {
    watch.close();
  }
}
