package dev.skiff.bench;

import dev.skiff.informers.InformerScope;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Notes, per pod name in one namespace, the monotonic time an informer first showed the pod
 * reaching a milestone (bound to a node, Running), and counts down until {@code expected} pods have.
 * An informer, not a bare watch: when the server ends a watch that fell behind, or answers a resume
 * with 410 Gone, the informer lists again and goes on, so a burst of updates cannot end the
 * measurement (a pod first seen at its milestone in a relist is timed at the relist).
 */
public final class PodMilestones implements AutoCloseable {
  /** The pod is bound to a node. */
  public static final Predicate<Pod> BOUND =
      p -> p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty();
  /** The pod's phase is Running. */
  public static final Predicate<Pod> RUNNING = p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase());

  private final ConcurrentHashMap<String, Long> reachedAt = new ConcurrentHashMap<>();
  private final AtomicInteger reached = new AtomicInteger();
  private final Predicate<Pod> milestone;
  private final CountDownLatch all;
  private final String namespace;
  private final SharedIndexInformer<Pod> informer;
  /** What {@link #close} releases: the informer of its own, or the scope through which it reads a shared one. */
  private final AutoCloseable owned;

  /** Starts an informer of its own on {@code namespace} and returns once its first list is in. */
  public PodMilestones(KubernetesClient client, String namespace, int expected, Predicate<Pod> milestone) {
    this(client.pods().inNamespace(namespace).runnableInformer(0), null, namespace, expected, milestone);
  }

  /**
   * Reads the pods of {@code namespace} from the process's shared pod informer (the one the
   * scheduler uses, as upstream's scheduler_perf times pods from the scheduler's informer factory),
   * so that the benchmark does not decode every pod a second time; returns once that informer has
   * listed. Closing removes this handler only.
   */
  public PodMilestones(InformerScope scope, String namespace, int expected, Predicate<Pod> milestone) {
    this(scope.informer(Pod.class), scope, namespace, expected, milestone);
  }

  private PodMilestones(SharedIndexInformer<Pod> informer, AutoCloseable scope, String namespace, int expected,
      Predicate<Pod> milestone) {
    this.milestone = milestone;
    this.namespace = namespace;
    this.informer = informer;
    this.owned = scope == null ? informer : scope;
    all = new CountDownLatch(expected);
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
    if (namespace.equals(pod.getMetadata().getNamespace()) && milestone.test(pod) && reachedAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime()) == null) {
      reached.incrementAndGet();
      all.countDown();
    }
  }

  /** How many pods have reached the milestone so far. */
  public int reached() {
    return reached.get();
  }

  /** The monotonic time the pod was seen at the milestone, or null if it has not been. */
  public Long reachedAt(String name) {
    return reachedAt.get(name);
  }

  /** Every pod's monotonic time at the milestone. */
  public Collection<Long> times() {
    return reachedAt.values();
  }

  /** Waits until every expected pod has reached the milestone; false on timeout. */
  public boolean await(Duration timeout) throws InterruptedException {
    if (!informer.isRunning()) {
      throw new IllegalStateException("the pod informer stopped");
    }
    return all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      owned.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the pod informer", e);
    }
  }
}
