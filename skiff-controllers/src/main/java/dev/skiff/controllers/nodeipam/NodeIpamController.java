package dev.skiff.controllers.nodeipam;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's node IPAM controller with the range allocator: every Node gets a {@code podCIDR}
 * (and {@code podCIDRs}) cut from the cluster CIDR, never one another Node holds. At start, after
 * the informers synced, the ranges Nodes already hold are marked taken before anything is handed
 * out, so a restarted controller keeps every assignment; a deleted Node's range is released. One
 * worker, so that two Nodes never race for a range. With {@link NodeIpamConfig#allocateNodeCidrs}
 * off it does nothing and nodes choose their own ranges.
 */
public final class NodeIpamController implements Controller, Reconciler {
  public static final String NAME = "node-ipam-controller";
  /** How soon a Node that found the cluster CIDR full is tried again. */
  static final Duration FULL_RETRY = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(NodeIpamController.class);

  private final KubernetesClient client;
  private final NodeIpamConfig config;
  private final CidrSet cidrs;
  private final SharedIndexInformer<Node> nodes;
  private final EventRecorder events;
  private final ControllerLoop<ObjectKey> loop;

  /** What this controller believes a Node holds: set before the patch, so a lagging cache never causes a second range. */
  private record Allocation(String uid, String cidr) {}

  private final Map<String, Allocation> allocated = new ConcurrentHashMap<>();

  public NodeIpamController(ControllerContext ctx) {
    this.client = ctx.client();
    this.config = ctx.config().nodeIpam();
    this.cidrs = new CidrSet(config.clusterCidr(), config.nodeCidrMaskSize());
    this.events = ctx.recorder(NAME);
    this.loop = ControllerLoop.of(NAME, this, ctx.clock());
    this.nodes = ctx.informers().informer(Node.class);
    nodes.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    if (!config.allocateNodeCidrs()) {
      LOG.info("{}: allocateNodeCidrs is off; nodes choose their own podCIDRs", NAME);
      return;
    }
    for (Node node : nodes.getStore().list()) {
      podCidr(node).ifPresent(cidr -> remember(node, cidr));
    }
    LOG.info("{}: {} ranges of {} free (/{} each)", NAME, cidrs.free(), config.clusterCidr(), config.nodeCidrMaskSize());
    loop.start(1);
  }

  private static Optional<String> podCidr(Node node) {
    String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
    return cidr == null || cidr.isEmpty() ? Optional.empty() : Optional.of(cidr);
  }

  private void remember(Node node, String cidr) {
    if (!cidrs.occupy(cidr)) {
      LOG.warn("node {} holds podCIDR {} outside the cluster CIDR {}", node.getMetadata().getName(), cidr,
          config.clusterCidr());
    }
    allocated.put(node.getMetadata().getName(), new Allocation(node.getMetadata().getUid(), cidr));
  }

  @Override
  public Result reconcile(ObjectKey key) {
    Node node = nodes.getStore().getByKey(key.cacheKey());
    Allocation known = allocated.get(key.name());
    if (node == null) {
      if (known != null) {
        allocated.remove(key.name());
        cidrs.release(known.cidr());
        LOG.info("released podCIDR {} of deleted node {}", known.cidr(), key.name());
        // nodes that found the cluster CIDR full need not wait for their retry
        nodes.getStore().list().stream().filter(n -> podCidr(n).isEmpty()).map(ObjectKey::of).forEach(loop::enqueue);
      }
      return Result.done();
    }
    boolean sameNode = known != null && known.uid().equals(node.getMetadata().getUid());
    if (known != null && !sameNode) {
      // a Node of the same name was deleted and created again before this saw the delete
      allocated.remove(key.name());
      cidrs.release(known.cidr());
    }
    Optional<String> held = podCidr(node);
    if (held.isPresent()) {
      if (sameNode && !known.cidr().equals(held.get())) {
        cidrs.release(known.cidr()); // someone else set the range while this one was being patched in
      }
      remember(node, held.get());
      return Result.done();
    }
    String cidr;
    if (sameNode) {
      cidr = known.cidr(); // patched earlier; the cache has not seen it yet
    } else {
      Optional<String> next = cidrs.allocateNext();
      if (next.isEmpty()) {
        events.event(node, EventRecorder.WARNING, "CIDRNotAvailable",
            "Node %s status is now: CIDRNotAvailable".formatted(key.name()));
        return Result.requeueAfter(FULL_RETRY);
      }
      cidr = next.get();
      allocated.put(key.name(), new Allocation(node.getMetadata().getUid(), cidr));
    }
    try {
      client.nodes().withName(key.name()).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"podCIDR\":\"%s\",\"podCIDRs\":[\"%s\"]}}".formatted(cidr, cidr));
      LOG.info("assigned podCIDR {} to node {}", cidr, key.name());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        allocated.remove(key.name());
        cidrs.release(cidr);
        return Result.done();
      }
      throw e; // the retry patches the same range again
    }
    return Result.done();
  }

  @Override
  public void close() {
    loop.close();
  }
}
