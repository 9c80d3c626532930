package dev.skiff.simulator;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static dev.skiff.simulator.TestCluster.phase;
import static dev.skiff.simulator.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A simulator restarted on the same cluster takes its nodes, leases and pod IPs back; node status is re-posted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorRestartTest {

    @TempDir
    Path dir;

    private static SimulatedNodesConfig config() {
        return new SimulatedNodesConfig(2, "re-node", "10.42.0.0/16", 24, 3, SimulatedNodesConfig.DEFAULT_CAPACITY,
                Duration.ofMillis(500), 40, Duration.ofSeconds(1), 8);
    }

    private static Instant readyHeartbeat(io.fabric8.kubernetes.client.KubernetesClient client, String node) {
        NodeCondition ready = client.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("True");
        return Instant.parse(ready.getLastHeartbeatTime());
    }

    @Test
    void restartKeepsNodesLeasesAndAddresses() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            var client = cluster.client;
            String firstIp;
            try (SimulatedNodes nodes = new SimulatedNodes(client, config())) {
                Instant registered = readyHeartbeat(client, "re-node-0001");
                // a pod with spec.nodeName set needs no scheduler
                client.pods().inNamespace("default").resource(pod("pinned", "1").editSpec().withNodeName("re-node-0001").endSpec().build()).create();
                await().atMost(Duration.ofSeconds(15)).until(() -> "Running".equals(phase(client.pods().inNamespace("default").withName("pinned").get())));
                firstIp = client.pods().inNamespace("default").withName("pinned").get().getStatus().getPodIP();
                assertThat(firstIp).isEqualTo("10.42.0.2");
                await().atMost(Duration.ofSeconds(10)).until(() -> readyHeartbeat(client, "re-node-0001").isAfter(registered));
            }
            try (SimulatedNodes again = new SimulatedNodes(client, config())) {
                assertThat(client.nodes().list().getItems()).hasSize(2);
                var lease = client.leases().inNamespace("kube-node-lease").withName("re-node-0002").get();
                await().atMost(Duration.ofSeconds(5)).until(() -> client.leases().inNamespace("kube-node-lease")
                        .withName("re-node-0002").get().getSpec().getRenewTime().isAfter(lease.getSpec().getRenewTime()));
                client.pods().inNamespace("default").resource(pod("second", "1").editSpec().withNodeName("re-node-0001").endSpec().build()).create();
                await().atMost(Duration.ofSeconds(15)).until(() -> "Running".equals(phase(client.pods().inNamespace("default").withName("second").get())));
                Pod second = client.pods().inNamespace("default").withName("second").get();
                assertThat(second.getStatus().getPodIP()).as("the restarted simulator knows 10.42.0.2 is taken").isEqualTo("10.42.0.3");
                assertThat(client.pods().inNamespace("default").withName("pinned").get().getStatus().getPodIP()).isEqualTo(firstIp);
            }
        }
    }

    @Test
    void refusesMoreNodesThanTheClusterCidrHolds() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            SimulatedNodesConfig tooMany = SimulatedNodesConfig.of(257).withPodCidrs("10.42.0.0/16", 24);
            assertThatThrownBy(() -> new SimulatedNodes(cluster.client, tooMany))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 /24 pod CIDRs");
        }
    }

    @Test
    void moreNodesThanFitInSlash24sGetSmallerPodCidrsByDefault() {
        assertThat(SimulatedNodesConfig.of(3).nodeCidrMaskSize()).isEqualTo(24);
        assertThat(SimulatedNodesConfig.of(256).nodeCidrMaskSize()).isEqualTo(24);
        assertThat(SimulatedNodesConfig.of(257).nodeCidrMaskSize()).isEqualTo(25);
        assertThat(SimulatedNodesConfig.of(1000).nodeCidrMaskSize()).isEqualTo(26);
        assertThat(SimulatedNodesConfig.of(5000).nodeCidrMaskSize()).isEqualTo(29);
    }
}
