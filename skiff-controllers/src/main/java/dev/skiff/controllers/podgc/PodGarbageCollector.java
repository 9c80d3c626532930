package dev.skiff.controllers.podgc;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod garbage collector ({@code pkg/controller/podgc}). Every period it deletes, from the
 * informer caches: the oldest finished pods beyond the threshold; pods bound to a node that has
 * been missing for the quarantine time (checked once more against the API server), after marking
 * them Failed with a DisruptionTarget condition; terminating pods that no node will ever stop
 * (unscheduled, or on a NotReady node with the {@code node.kubernetes.io/out-of-service} taint).
 * Deletions are forced (grace period 0) as upstream. Not a work-queue controller: it owns one
 * virtual thread, stopped by {@link #close}.
 */
public final class PodGarbageCollector implements Controller {
  public static final String NAME = "pod-garbage-collector-controller";
  static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";
  private static final Logger LOG = LoggerFactory.getLogger(PodGarbageCollector.class);

  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final InstantSource clock;
  private final PodGcConfig config;
  private final PodDeletion deletion;
  /** When each missing node was first seen missing; touched only by the loop thread. */
  private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();
  private final KubernetesClient client;
  private Thread loop;

  public PodGarbageCollector(ControllerContext ctx) {
    this(ctx, PodGcConfig.UPSTREAM);
  }

  public PodGarbageCollector(ControllerContext ctx, PodGcConfig config) {
    Objects.requireNonNull(ctx, "ctx");
    this.config = Objects.requireNonNull(config, "config");
    this.client = ctx.client();
    this.pods = ctx.informers().informer(Pod.class);
    this.nodes = ctx.informers().informer(Node.class);
    this.clock = ctx.clock();
    this.deletion = new PodDeletion(client, clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized void start() {
    if (loop != null) {
      throw new IllegalStateException(NAME + " already started");
    }
    loop = Thread.ofVirtual().name(NAME).start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(config.period());
          collect();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LOG.info("pod garbage collection failed, next round in {}: {}", config.period(), e.toString());
        }
      }
    });
  }

  /** One round of every collection; package-visible for tests. */
  void collect() {
    List<Pod> all = pods.getIndexer().list();
    Map<String, Node> nodesByName = nodes.getIndexer().list().stream()
        .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a));
    collectTerminated(all);
    collectOrphaned(all, nodesByName);
    collectTerminatingOutOfService(all, nodesByName);
    collectUnscheduledTerminating(all);
  }

  private void collectTerminated(List<Pod> all) {
    if (config.terminatedPodThreshold() <= 0) {
      return;
    }
    List<Pod> terminated = all.stream().filter(p -> isTerminal(p) && p.getMetadata().getDeletionTimestamp() == null).toList();
    int excess = terminated.size() - config.terminatedPodThreshold();
    if (excess <= 0) {
      return;
    }
    terminated.stream().sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
        .thenComparing(p -> p.getMetadata().getName())).limit(excess).forEach(p -> deletion.forceDelete(p, null));
  }

  private void collectOrphaned(List<Pod> all, Map<String, Node> nodesByName) {
    Instant now = clock.instant();
    Set<String> missing = new HashSet<>();
    for (Pod p : all) {
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (node != null && !node.isEmpty() && !nodesByName.containsKey(node)) {
        missing.add(node);
      }
    }
    missingSince.keySet().retainAll(missing);
    for (String node : missing) {
      Instant since = missingSince.computeIfAbsent(node, n -> now);
      if (now.isBefore(since.plus(config.quarantine()))) {
        continue;
      }
      // the cache may lag a node that has just registered: ask the API server
      if (client.nodes().withName(node).get() != null) {
        missingSince.remove(node);
        continue;
      }
      all.stream().filter(p -> node.equals(p.getSpec().getNodeName()))
          .forEach(p -> deletion.forceDelete(p, new PodDeletion.Disruption("DeletionByPodGC", "PodGC: node no longer exists")));
    }
  }

  private void collectTerminatingOutOfService(List<Pod> all, Map<String, Node> nodesByName) {
    for (Pod p : all) {
      Node node = p.getSpec() == null || p.getSpec().getNodeName() == null ? null : nodesByName.get(p.getSpec().getNodeName());
      if (node == null || p.getMetadata().getDeletionTimestamp() == null || isTerminal(p)) {
        continue;
      }
      boolean outOfService = node.getSpec() != null && node.getSpec().getTaints() != null
          && node.getSpec().getTaints().stream().anyMatch(t -> OUT_OF_SERVICE.equals(t.getKey()) && "NoExecute".equals(t.getEffect()));
      if (outOfService && !isReady(node)) {
        deletion.forceDelete(p, new PodDeletion.Disruption("DeletionByPodGC", "PodGC: node is out of service"));
      }
    }
  }

  private void collectUnscheduledTerminating(List<Pod> all) {
    for (Pod p : all) {
      boolean unscheduled = p.getSpec() == null || p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty();
      if (unscheduled && p.getMetadata().getDeletionTimestamp() != null
          && (p.getMetadata().getDeletionGracePeriodSeconds() == null || p.getMetadata().getDeletionGracePeriodSeconds() > 0)) {
        deletion.forceDelete(p, null);
      }
    }
  }

  private static boolean isTerminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean isReady(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.interrupt();
      try {
        loop.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
