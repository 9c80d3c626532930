package dev.skiff.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How many simulated nodes to run and what they look like.
 *
 * @param count how many nodes ({@code PREFIX-0001}, {@code PREFIX-0002}, ...)
 * @param namePrefix the node name prefix, {@code sim-node} by default
 * @param clusterCidr the IPv4 range node pod CIDRs are cut from (Skiff's cluster CIDR 10.42.0.0/16)
 * @param nodeCidrMaskSize the prefix length of each node's pod CIDR (24, as upstream's default
 *     {@code --node-cidr-mask-size}); the range must hold {@code count} of them
 * @param zones how many zones the nodes spread over ({@code zone-a}, {@code zone-b}, ...)
 * @param capacity each node's capacity, which is also its allocatable
 * @param leaseInterval how often each node renews its Lease (the kubelet's 10 s)
 * @param leaseDurationSeconds the Lease's {@code leaseDurationSeconds} (the kubelet's 40)
 * @param statusInterval how often each node re-posts its Ready condition (upstream's
 *     {@code nodeStatusReportFrequency}, 5 minutes when nothing changed)
 * @param writeConcurrency how many API writes the heartbeats and pod workers may have in flight
 * @param podCidrFromCluster whether the cluster (the controller manager's node-ipam-controller)
 *     assigns each node's pod CIDR: nodes then register without one and wait for it; when false
 *     they cut their own from {@code clusterCidr}, for clusters that run no controller manager
 */
public record SimulatedNodesConfig(int count, String namePrefix, String clusterCidr, int nodeCidrMaskSize, int zones,
                                   Map<String, String> capacity, Duration leaseInterval, int leaseDurationSeconds,
                                   Duration statusInterval, int writeConcurrency, boolean podCidrFromCluster) {

    /** The label every simulated node carries, so tools can tell them from real ones. */
    public static final String SIMULATED_LABEL = "skiff.dev/simulated";

    /** Upstream's defaults for a node of 32 CPUs, 256 GiB memory, 110 pods and 1 TiB ephemeral storage. */
    public static final Map<String, String> DEFAULT_CAPACITY =
            Map.of("cpu", "32", "memory", "256Gi", "pods", "110", "ephemeral-storage", "1Ti");

    /** The configuration with nodes that choose their own pod CIDRs. */
    public SimulatedNodesConfig(int count, String namePrefix, String clusterCidr, int nodeCidrMaskSize, int zones,
                                Map<String, String> capacity, Duration leaseInterval, int leaseDurationSeconds,
                                Duration statusInterval, int writeConcurrency) {
        this(count, namePrefix, clusterCidr, nodeCidrMaskSize, zones, capacity, leaseInterval, leaseDurationSeconds,
                statusInterval, writeConcurrency, false);
    }

    public SimulatedNodesConfig {
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        Objects.requireNonNull(leaseInterval, "leaseInterval");
        Objects.requireNonNull(statusInterval, "statusInterval");
        capacity = Map.copyOf(capacity);
        if (count < 0 || zones < 1 || writeConcurrency < 1) {
            throw new IllegalArgumentException("count >= 0, zones >= 1 and writeConcurrency >= 1 required");
        }
        if (leaseInterval.toMillis() < 100) {
            throw new IllegalArgumentException("leaseInterval must be at least 100ms");
        }
    }

    /**
     * {@code count} nodes with the defaults: 10.42.0.0/16 cut into /24s (smaller ranges when more
     * than 256 nodes must fit: /26 for up to 1,024, /29 for up to 8,192), 3 zones, 10 s leases.
     */
    public static SimulatedNodesConfig of(int count) {
        int mask = 24;
        while ((1L << (mask - 16)) < count && mask < 30) {
            mask++;
        }
        return new SimulatedNodesConfig(count, "sim-node", "10.42.0.0/16", mask, 3, DEFAULT_CAPACITY,
                Duration.ofSeconds(10), 40, Duration.ofMinutes(5), 32);
    }

    public SimulatedNodesConfig withPodCidrs(String cidr, int maskSize) {
        return new SimulatedNodesConfig(count, namePrefix, cidr, maskSize, zones, capacity, leaseInterval,
                leaseDurationSeconds, statusInterval, writeConcurrency, podCidrFromCluster);
    }

    /** The same nodes named {@code prefix-0001}, {@code prefix-0002}, ... (another set beside the server's own). */
    public SimulatedNodesConfig withNamePrefix(String prefix) {
        return new SimulatedNodesConfig(count, prefix, clusterCidr, nodeCidrMaskSize, zones, capacity, leaseInterval,
                leaseDurationSeconds, statusInterval, writeConcurrency, podCidrFromCluster);
    }

    public SimulatedNodesConfig withLeaseInterval(Duration interval) {
        return new SimulatedNodesConfig(count, namePrefix, clusterCidr, nodeCidrMaskSize, zones, capacity, interval,
                leaseDurationSeconds, statusInterval, writeConcurrency, podCidrFromCluster);
    }

    /** The same nodes, with pod CIDRs assigned by the cluster ({@code true}) or chosen by each node. */
    public SimulatedNodesConfig withPodCidrFromCluster(boolean fromCluster) {
        return new SimulatedNodesConfig(count, namePrefix, clusterCidr, nodeCidrMaskSize, zones, capacity, leaseInterval,
                leaseDurationSeconds, statusInterval, writeConcurrency, fromCluster);
    }
}
