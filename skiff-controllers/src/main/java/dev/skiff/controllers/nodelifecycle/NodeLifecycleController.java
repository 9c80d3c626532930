package dev.skiff.controllers.nodelifecycle;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's node lifecycle controller with taint-based eviction. Each node is looked at on every
 * change of it or its Lease ({@code kube-node-lease/NODE}) and at least every
 * {@link NodeLifecycleConfig#monitorPeriod}:
 * <ol>
 *   <li>a node whose Lease and Ready heartbeat have not moved for the grace period gets its
 *       conditions Unknown ({@link UnknownConditions}, {@link HeartbeatTracker});</li>
 *   <li>while it is not Ready its pods' Ready conditions are False (upstream's MarkPodsNotReady);</li>
 *   <li>its taints follow its Ready condition ({@link ConditionTaints}): unreachable or
 *       not-ready, NoSchedule and NoExecute, removed when it is Ready again; and its pressure
 *       conditions and cordoning, NoSchedule;</li>
 *   <li>pods on a node with NoExecute taints are evicted when their tolerations run out
 *       ({@link TolerationTimes}): first the DisruptionTarget condition, then a delete with the
 *       pod's own grace period, as upstream's taint eviction controller.</li>
 * </ol>
 * Queue keys are nodes; pods are found through an informer index by {@code spec.nodeName}.
 */
public final class NodeLifecycleController implements Controller, Reconciler {
  public static final String NAME = "node-lifecycle-controller";
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final String PODS_BY_NODE = "skiff/pods-by-node-name";
  private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);

  private final KubernetesClient client;
  private final InstantSource clock;
  private final NodeLifecycleConfig config;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Lease> leases;
  private final SharedIndexInformer<Pod> pods;
  private final HeartbeatTracker heartbeats = new HeartbeatTracker();
  /** When this controller first saw a NoExecute taint that carries no timeAdded, by node|key|effect. */
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final EventRecorder events;
  private final ControllerLoop<ObjectKey> loop;

  public NodeLifecycleController(ControllerContext ctx) {
    this.client = ctx.client();
    this.clock = ctx.clock();
    this.config = ctx.config().nodeLifecycle();
    this.events = ctx.recorder(NAME);
    this.loop = ControllerLoop.of(NAME, this, clock);
    this.nodes = ctx.informers().informer(Node.class);
    this.leases = ctx.informers().informer(Lease.class);
    this.pods = ctx.informers().informer(Pod.class);
    synchronized (NodeLifecycleController.class) {
      if (!pods.getIndexer().getIndexers().containsKey(PODS_BY_NODE)) {
        pods.addIndexers(Map.of(PODS_BY_NODE, p -> p.getSpec() == null || p.getSpec().getNodeName() == null
            ? List.of() : List.of(p.getSpec().getNodeName())));
      }
    }
    nodes.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    leases.addEventHandler(EnqueueOwnKey.<Lease>into(key -> {
      if (key.namespace().equals(LEASE_NAMESPACE)) {
        loop.enqueue(new ObjectKey("", key.name()));
      }
    }));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        enqueueTaintedNodeOf(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        enqueueTaintedNodeOf(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
    });
  }

  /** A pod that lands on (or changes on) a node with NoExecute taints may have to go. */
  private void enqueueTaintedNodeOf(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    Node node = nodeName == null || nodeName.isEmpty() ? null : nodes.getStore().getByKey(nodeName);
    if (node != null && !noExecute(node).isEmpty()) {
      loop.enqueue(new ObjectKey("", nodeName));
    }
  }

  private static List<Taint> noExecute(Node node) {
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    return taints.stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    loop.start(1);
  }

  @Override
  public Result reconcile(ObjectKey key) {
    Node node = nodes.getStore().getByKey(key.name());
    if (node == null) {
      heartbeats.forget(key.name());
      firstSeen.keySet().removeIf(k -> k.startsWith(key.name() + "|"));
      return Result.done();
    }
    Instant now = clock.instant();
    Lease lease = leases.getStore().getByKey(LEASE_NAMESPACE + "/" + key.name());
    String renewTime = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
        ? null : lease.getSpec().getRenewTime().toString();
    String heartbeat = UnknownConditions.ready(node).map(NodeCondition::getLastHeartbeatTime).orElse(null);
    Instant probe = heartbeats.observe(key.name(), renewTime, heartbeat, now);
    if (Duration.between(probe, now).compareTo(config.gracePeriod()) > 0) {
      Optional<List<NodeCondition>> unknown = UnknownConditions.of(node, now);
      if (unknown.isPresent()) {
        LOG.info("node {} has not been heard from for {} s: conditions Unknown", key.name(),
            Duration.between(probe, now).toSeconds());
        node = client.nodes().withName(key.name()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("status", Map.of("conditions", unknown.get()))));
        events.event(node, EventRecorder.NORMAL, "NodeNotReady",
            "Node %s status is now: NodeNotReady".formatted(key.name()));
      }
    }
    if (!"True".equals(UnknownConditions.readyStatus(node))) {
      markPodsNotReady(node, now);
    }
    node = syncTaints(node, now);
    Duration next = evict(node, now);
    return Result.requeueAfter(next.compareTo(config.monitorPeriod()) < 0 ? next : config.monitorPeriod());
  }

  private Node syncTaints(Node node, Instant now) {
    List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    Set<String> trueConditions = node.getStatus() == null || node.getStatus().getConditions() == null ? Set.of()
        : node.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()))
            .map(NodeCondition::getType).collect(Collectors.toSet());
    List<Taint> wanted = ConditionTaints.reconcileNoSchedule(
        ConditionTaints.reconcile(current, UnknownConditions.readyStatus(node), now), trueConditions,
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
    if (wanted.equals(current)) {
      return node;
    }
    LOG.info("node {} (Ready {}): taints now {}", node.getMetadata().getName(), UnknownConditions.readyStatus(node),
        wanted.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList());
    // the resourceVersion makes this a compare-and-swap: a concurrent change means a retry with fresh taints
    String patch = Serialization.asJson(Map.of("metadata", Map.of("resourceVersion", node.getMetadata().getResourceVersion()),
        "spec", Map.of("taints", wanted)));
    return client.nodes().withName(node.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /**
   * Upstream's {@code MarkPodsNotReady}: the pods of a node that is not Ready lose their Ready
   * condition, so that Services stop sending them traffic even before they are evicted. The
   * kubelet, once back, posts its pods' real readiness.
   */
  private void markPodsNotReady(Node node, Instant now) {
    String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    for (Pod pod : pods.getIndexer().byIndex(PODS_BY_NODE, node.getMetadata().getName())) {
      boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus()
          .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready) {
        continue;
      }
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
          p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).forEach(c -> {
            c.setStatus("False");
            c.setLastTransitionTime(time);
          });
          return p;
        });
        LOG.debug("marked pod {}/{} on node {} not ready", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
            node.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  /** Evicts the node's pods whose time is up; returns how soon the next one is due. */
  private Duration evict(Node node, Instant now) {
    List<Taint> taints = noExecute(node);
    String nodeName = node.getMetadata().getName();
    if (taints.isEmpty()) {
      firstSeen.keySet().removeIf(k -> k.startsWith(nodeName + "|"));
      return config.monitorPeriod();
    }
    Duration next = config.monitorPeriod();
    for (Pod pod : pods.getIndexer().byIndex(PODS_BY_NODE, nodeName)) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<Instant> at = TolerationTimes.evictionTime(pod, taints, t -> addedAt(nodeName, t, now));
      if (at.isEmpty()) {
        continue;
      }
      if (!at.get().isAfter(now)) {
        evict(pod);
      } else if (Duration.between(now, at.get()).compareTo(next) < 0) {
        next = Duration.between(now, at.get());
      }
    }
    return next;
  }

  private Instant addedAt(String nodeName, Taint taint, Instant now) {
    if (taint.getTimeAdded() != null && !taint.getTimeAdded().isEmpty()) {
      return Instant.parse(taint.getTimeAdded());
    }
    return firstSeen.computeIfAbsent(nodeName + "|" + taint.getKey() + "|" + taint.getEffect(), k -> now);
  }

  private void evict(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      boolean marked = pod.getStatus() != null && pod.getStatus().getConditions() != null
          && pod.getStatus().getConditions().stream().anyMatch(c -> "DisruptionTarget".equals(c.getType()));
      if (!marked) {
        client.pods().inNamespace(ns).withName(name).editStatus(p -> {
          var conditions = new ArrayList<>(p.getStatus().getConditions() == null
              ? List.of() : p.getStatus().getConditions());
          conditions.add(new PodConditionBuilder().withType("DisruptionTarget")
              .withStatus("True").withReason("DeletionByTaintManager")
              .withMessage("Taint manager: deleting due to NoExecute taint")
              .withLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(
                  clock.instant().truncatedTo(ChronoUnit.SECONDS))).build());
          p.getStatus().setConditions(conditions);
          return p;
        });
      }
      client.pods().inNamespace(ns).withName(name).delete();
      events.event(pod, EventRecorder.NORMAL, "TaintManagerEviction", "Marking for deletion Pod %s/%s".formatted(ns, name));
      LOG.info("evicted pod {}/{} from tainted node {}", ns, name, pod.getSpec().getNodeName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
