package dev.skiff.simulator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated node: its name, pod CIDR, address and zone, all derived from its index so that a
 * restarted simulator registers the same nodes. {@link #toNode} builds the Node a kubelet would
 * register: labels, capacity, the four pressure/ready conditions, addresses and nodeInfo.
 */
record SimulatedNode(String name, int index, Ipv4Range podCidr, String internalIp, String zone) {

    /** Simulated nodes' addresses: a range no pod or service uses, and nothing is ever sent there. */
    static final Ipv4Range NODE_ADDRESSES = Ipv4Range.parse("172.20.0.0/16");
    static final String KUBELET_VERSION = "v1.32.0";

    static SimulatedNode of(SimulatedNodesConfig config, int index) {
        Ipv4Range cluster = Ipv4Range.parse(config.clusterCidr());
        String name = "%s-%04d".formatted(config.namePrefix(), index + 1);
        String zone = "zone-" + (char) ('a' + index % config.zones());
        return new SimulatedNode(name, index, cluster.subnet(config.nodeCidrMaskSize(), index),
                NODE_ADDRESSES.address(index + 1L), zone);
    }

    /** This node with the pod CIDR the cluster assigned to it. */
    SimulatedNode withPodCidr(Ipv4Range cidr) {
        return new SimulatedNode(name, index, cidr, internalIp, zone);
    }

    Node toNode(Map<String, String> capacity, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("topology.kubernetes.io/zone", zone);
        labels.put(SimulatedNodesConfig.SIMULATED_LABEL, "true");
        Map<String, Quantity> resources = new LinkedHashMap<>();
        capacity.forEach((k, v) -> resources.put(k, new Quantity(v)));
        String id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels)
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0").endMetadata()
                .withNewSpec().withPodCIDR(podCidr.toString()).withPodCIDRs(podCidr.toString()).endSpec()
                .withNewStatus()
                .withCapacity(resources).withAllocatable(resources)
                .withConditions(conditions(now, now))
                .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
                .withNewNodeInfo().withMachineID(id.replace("-", "")).withSystemUUID(id).withBootID(id)
                .withKernelVersion("6.1.0-skiff-sim").withOsImage("Skiff simulated node")
                .withContainerRuntimeVersion("skiff-sim://0.1.0").withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion(KUBELET_VERSION).withOperatingSystem("linux").withArchitecture("amd64").endNodeInfo()
                .endStatus()
                .build();
    }

    /** The kubelet's four conditions, healthy, with its reasons and messages. */
    static List<NodeCondition> conditions(Instant heartbeat, Instant transition) {
        String hb = time(heartbeat);
        String tr = time(transition);
        return List.of(
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", hb, tr),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", hb, tr),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", hb, tr),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", hb, tr));
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String hb, String tr) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(hb).withLastTransitionTime(tr).build();
    }

    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
