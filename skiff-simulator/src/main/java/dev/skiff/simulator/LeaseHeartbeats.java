package dev.skiff.simulator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Every simulated node's heartbeat, as the kubelet's node lease controller: renew the Lease
 * {@code kube-node-lease/NODE} every {@code leaseInterval}, and re-post the node's conditions every
 * {@code statusInterval}. One ticker thread serves all nodes: the interval is cut into slots of
 * {@value #SLOT_MILLIS} ms and each node renews in its own slot, so 5,000 nodes make an even 500
 * writes a second instead of a burst every 10 s. Each slot's renewals run on virtual threads,
 * with at most {@code writeConcurrency} in flight. When the API server cannot keep up, the ticker
 * waits for a free write instead of bursting to catch up: each node's interval stretches evenly.
 *
 * <p>A renewal updates the last Lease it wrote (an optimistic PUT, as upstream); on a conflict it
 * reads the Lease and tries once more; a missing Lease is created.
 */
final class LeaseHeartbeats implements AutoCloseable {

    static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeats.class);
    private static final long SLOT_MILLIS = 100;

    private final KubernetesClient client;
    private final SimulatedNodesConfig config;
    private final InstantSource clock;
    private final List<List<SimulatedNode>> slots;
    private final long statusEveryCycles;
    private final Map<String, Lease> latest = new ConcurrentHashMap<>();
    private final Semaphore inFlight;
    private final AtomicLong renewals = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, Long> lastRenewalNanos = new ConcurrentHashMap<>();
    private final AtomicLong intervals = new AtomicLong();
    private final AtomicLong intervalTotalNanos = new AtomicLong();
    private final LongAccumulator maxIntervalNanos = new LongAccumulator(Math::max, 0);
    private final Thread ticker;
    private volatile boolean running = true;

    /**
     * Writes every node's Lease ({@code writeConcurrency} at a time), then starts the ticker.
     *
     * @param nodeUids each node's uid, for the Lease's owner reference
     */
    LeaseHeartbeats(KubernetesClient client, List<SimulatedNode> nodes, Map<String, String> nodeUids,
                    SimulatedNodesConfig config, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        int slotCount = (int) Math.max(1, Math.min(Math.max(nodes.size(), 1), config.leaseInterval().toMillis() / SLOT_MILLIS));
        this.slots = new ArrayList<>(slotCount);
        for (int i = 0; i < slotCount; i++) {
            slots.add(new ArrayList<>());
        }
        for (SimulatedNode n : nodes) {
            slots.get(n.index() % slotCount).add(n);
        }
        this.statusEveryCycles = Math.max(1, config.statusInterval().toMillis() / config.leaseInterval().toMillis());
        this.inFlight = new Semaphore(config.writeConcurrency());
        Concurrently.run(nodes, config.writeConcurrency(), n -> createLease(n, nodeUids.get(n.name())));
        this.ticker = Thread.ofVirtual().name("sim-heartbeats").start(this::tick);
    }

    /** Writes the node's first Lease, owned by its Node so that deleting the node removes it (as upstream). */
    private void createLease(SimulatedNode node, String nodeUid) {
        Lease lease = new LeaseBuilder()
                .withNewMetadata().withName(node.name()).withNamespace(LEASE_NAMESPACE)
                .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(node.name()).withUid(nodeUid).endOwnerReference()
                .endMetadata()
                .withNewSpec().withHolderIdentity(node.name()).withLeaseDurationSeconds(config.leaseDurationSeconds())
                .withRenewTime(microTime(clock.instant())).endSpec()
                .build();
        var leases = client.leases().inNamespace(LEASE_NAMESPACE);
        try {
            latest.put(node.name(), leases.resource(lease).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            renew(node); // left from an earlier run
        }
    }

    private void tick() {
        long tickNanos = Duration.ofMillis(config.leaseInterval().toMillis() / slots.size()).toNanos();
        long start = System.nanoTime();
        for (long k = 0; running; k++) {
            long due = start + k * tickNanos;
            long wait = due - System.nanoTime();
            if (wait < 0) {
                start -= wait; // behind (writes were slow): shift the schedule rather than burst
            }
            try {
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                List<SimulatedNode> slot = slots.get((int) (k % slots.size()));
                boolean postStatus = k >= slots.size() && (k / slots.size()) % statusEveryCycles == 0;
                for (SimulatedNode node : slot) {
                    inFlight.acquire();
                    Thread.ofVirtual().name("sim-heartbeat-" + node.name()).start(() -> {
                        try {
                            beat(node, postStatus);
                        } finally {
                            inFlight.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void beat(SimulatedNode node, boolean postStatus) {
        try {
            renew(node);
            long now = System.nanoTime();
            Long previous = lastRenewalNanos.put(node.name(), now);
            if (previous != null) {
                intervals.incrementAndGet();
                intervalTotalNanos.addAndGet(now - previous);
                maxIntervalNanos.accumulate(now - previous);
            }
            renewals.incrementAndGet();
            if (postStatus) {
                postConditions(node);
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            if (running) {
                log.debug("heartbeat of {} failed: {}", node.name(), e.getMessage());
            }
        }
    }

    private void renew(SimulatedNode node) {
        var leases = client.leases().inNamespace(LEASE_NAMESPACE);
        Lease last = latest.get(node.name());
        for (int attempt = 0; attempt < 2; attempt++) {
            if (last == null) {
                last = leases.withName(node.name()).get();
                if (last == null) {
                    throw new IllegalStateException("lease of " + node.name() + " is gone");
                }
            }
            last.getSpec().setRenewTime(microTime(clock.instant()));
            last.getSpec().setHolderIdentity(node.name());
            last.getSpec().setLeaseDurationSeconds(config.leaseDurationSeconds());
            try {
                latest.put(node.name(), leases.resource(last).update());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 1) {
                    throw e;
                }
                last = null; // someone else wrote it: read and retry once
            }
        }
    }

    /** Re-posts the conditions with a fresh lastHeartbeatTime (a merge patch of nodes/status). */
    private void postConditions(SimulatedNode node) {
        var conditions = SimulatedNode.conditions(clock.instant(), clock.instant());
        var current = client.nodes().withName(node.name()).get();
        if (current == null || current.getStatus() == null || current.getStatus().getConditions() == null) {
            return;
        }
        // keep each unchanged condition's transition time: only the heartbeat moves (one the node
        // lifecycle controller turned Unknown meanwhile transitions now)
        for (var c : conditions) {
            current.getStatus().getConditions().stream()
                    .filter(o -> o.getType().equals(c.getType()) && c.getStatus().equals(o.getStatus())).findFirst()
                    .ifPresent(o -> c.setLastTransitionTime(o.getLastTransitionTime()));
        }
        client.nodes().withName(node.name()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("status", Map.of("conditions", conditions))));
    }

    /** A renew time as metav1.MicroTime holds it: UTC, microseconds (fabric8 writes the RFC 3339 form). */
    static ZonedDateTime microTime(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
    }

    HeartbeatStats stats() {
        long n = intervals.get();
        return new HeartbeatStats(renewals.get(), failures.get(), Duration.ofNanos(n == 0 ? 0 : intervalTotalNanos.get() / n),
                Duration.ofNanos(maxIntervalNanos.get()));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        ticker.interrupt();
        ticker.join();
        // wait for renewals in flight
        inFlight.acquire(config.writeConcurrency());
        inFlight.release(config.writeConcurrency());
    }
}
