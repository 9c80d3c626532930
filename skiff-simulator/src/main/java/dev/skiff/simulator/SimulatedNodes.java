package dev.skiff.simulator;

import io.fabric8.kubernetes.api.model.Node;
import dev.skiff.informers.InformerScope;
import dev.skiff.informers.SharedInformerFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Simulated nodes, like KWOK: {@code count} Nodes registered through the API as kubelets would
 * (labels, capacity, a pod CIDR cut deterministically from the cluster CIDR or, with
 * {@link SimulatedNodesConfig#podCidrFromCluster}, the one the node-ipam-controller assigns, Ready
 * conditions, nodeInfo), a Lease heartbeat for each
 * ({@link LeaseHeartbeats}), and pods bound to them run through Pending, Running and, when asked
 * to, Succeeded or Failed, and are removed when deleted ({@link PodLifecycle}). No containers run.
 *
 * <p>Pods are read from the process's {@link SharedInformerFactory} (the scheduler's and the
 * controllers' cache in {@code skiff server}); the standalone constructor makes a factory of its own.
 *
 * <p>The constructor returns once every node and Lease is written. Owns its threads:
 * {@link #close()} stops the heartbeats and pod workers; nodes stay registered (and turn NotReady
 * in the node lifecycle controller's eyes once their Leases expire, as for a stopped kubelet).
 */
public final class SimulatedNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedNodes.class);
    /** How long nodes whose pod CIDRs come from the cluster wait for them. */
    static final java.time.Duration POD_CIDR_WAIT = java.time.Duration.ofMinutes(2);

    private final List<SimulatedNode> nodes;
    private final LeaseHeartbeats heartbeats;
    private final PodLifecycle pods;
    private final InformerScope informers;
    /** The factory this instance made for itself, closed with it; null when the caller's is used. */
    private final SharedInformerFactory ownFactory;

    /** Simulated nodes with informers of their own (tests, {@code skiff simulate}). */
    public SimulatedNodes(KubernetesClient client, SimulatedNodesConfig config) {
        this(client, config, new SharedInformerFactory(client), true);
    }

    /** Simulated nodes that read the process's shared informers; the caller owns and closes {@code informers}. */
    public SimulatedNodes(KubernetesClient client, SimulatedNodesConfig config, SharedInformerFactory informers) {
        this(client, config, informers, false);
    }

    private SimulatedNodes(KubernetesClient client, SimulatedNodesConfig config, SharedInformerFactory factory,
                           boolean ownFactory) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(factory, "factory");
        this.ownFactory = ownFactory ? factory : null;
        this.informers = factory.scope();
        Objects.requireNonNull(config, "config");
        InstantSource clock = InstantSource.system();
        Ipv4Range cluster = Ipv4Range.parse(config.clusterCidr());
        if (!config.podCidrFromCluster() && cluster.subnets(config.nodeCidrMaskSize()) < config.count()) {
            throw new IllegalArgumentException("%s holds %d /%d pod CIDRs, fewer than %d nodes".formatted(
                    cluster, cluster.subnets(config.nodeCidrMaskSize()), config.nodeCidrMaskSize(), config.count()));
        }
        List<SimulatedNode> all = new ArrayList<>(config.count());
        for (int i = 0; i < config.count(); i++) {
            all.add(SimulatedNode.of(config, i));
        }
        Map<String, String> uids = new java.util.concurrent.ConcurrentHashMap<>();
        Concurrently.run(all, config.writeConcurrency(), n -> {
            Node node = n.toNode(config.capacity(), clock.instant());
            if (config.podCidrFromCluster()) {
                node.getSpec().setPodCIDR(null);
                node.getSpec().setPodCIDRs(null);
            }
            uids.put(n.name(), registerNode(client, node).getMetadata().getUid());
        });
        if (config.podCidrFromCluster()) {
            Map<String, String> assigned = awaitPodCidrs(client, all.stream().map(SimulatedNode::name).toList());
            all.replaceAll(n -> n.withPodCidr(Ipv4Range.parse(assigned.get(n.name()))));
        }
        this.nodes = List.copyOf(all);
        Map<String, SimulatedNode> byName = new LinkedHashMap<>();
        Map<String, PodAddresses> addresses = new LinkedHashMap<>();
        for (SimulatedNode n : nodes) {
            byName.put(n.name(), n);
            addresses.put(n.name(), new PodAddresses(n.podCidr()));
        }
        this.heartbeats = new LeaseHeartbeats(client, nodes, uids, config, clock);
        this.pods = new PodLifecycle(client, informers.informer(Pod.class), byName, addresses,
                Math.max(2, config.writeConcurrency() / 2), clock);
        log.info("{} simulated nodes registered", nodes.size());
    }

    /**
     * Waits until the cluster's node-ipam-controller has set spec.podCIDR on every one of
     * {@code names}, listing the nodes once a second for at most {@link #POD_CIDR_WAIT}.
     */
    private static Map<String, String> awaitPodCidrs(KubernetesClient client, List<String> names) {
        log.info("waiting for the cluster (node-ipam-controller) to assign podCIDRs to {} simulated nodes", names.size());
        long deadline = System.nanoTime() + POD_CIDR_WAIT.toNanos();
        while (true) {
            Map<String, String> assigned = new java.util.HashMap<>();
            for (Node n : client.nodes().withLabel(SimulatedNodesConfig.SIMULATED_LABEL).list().getItems()) {
                String cidr = n.getSpec() == null ? null : n.getSpec().getPodCIDR();
                if (cidr != null && !cidr.isEmpty()) {
                    assigned.put(n.getMetadata().getName(), cidr);
                }
            }
            if (assigned.keySet().containsAll(names)) {
                return assigned;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no podCIDR assigned within %s to %d of %d nodes; is the node-ipam-controller running?"
                        .formatted(POD_CIDR_WAIT, names.stream().filter(n -> !assigned.containsKey(n)).count(), names.size()));
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for podCIDRs", e);
            }
        }
    }

    /** Creates the node; one left from an earlier run gets our labels and a fresh status instead. */
    private static Node registerNode(KubernetesClient client, Node node) {
        try {
            return client.nodes().resource(node).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        var existing = client.nodes().withName(node.getMetadata().getName());
        existing.edit(n -> {
            n.getMetadata().setLabels(node.getMetadata().getLabels());
            return n;
        });
        return existing.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("status", node.getStatus())));
    }

    /** The registered node names, in order. */
    public List<String> nodeNames() {
        return nodes.stream().map(SimulatedNode::name).toList();
    }

    /** How the Lease heartbeats have fared. */
    public HeartbeatStats heartbeatStats() {
        return heartbeats.stats();
    }

    @Override
    public void close() throws InterruptedException {
        pods.close();
        heartbeats.close();
        informers.close();
        if (ownFactory != null) {
            ownFactory.close();
        }
    }
}
