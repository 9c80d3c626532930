package dev.skiff.simulator;

import dev.skiff.scheduler.wiring.SchedulerConfig;
import dev.skiff.scheduler.wiring.SchedulerService;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.skiff.simulator.TestCluster.phase;
import static dev.skiff.simulator.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three simulated nodes and the scheduler against an in-process API server: pods live their upstream lives. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatedClusterTest {

    @TempDir
    static Path dir;
    static TestCluster cluster;
    static KubernetesClient client;
    static SimulatedNodes nodes;
    static SchedulerService scheduler;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(dir);
        client = cluster.client;
        nodes = new SimulatedNodes(client, SimulatedNodesConfig.of(3).withLeaseInterval(Duration.ofSeconds(1)));
        scheduler = new SchedulerService(client, SchedulerConfig.defaults("sched-test")
                .withLeaderElection(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)));
        await().atMost(Duration.ofSeconds(20)).until(scheduler::isScheduling);
    }

    @AfterAll
    static void stop() throws Exception {
        scheduler.close();
        nodes.close();
        cluster.close();
    }

    private static void namespace(String ns) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }

    private static Pod get(String ns, String name) {
        return client.pods().inNamespace(ns).withName(name).get();
    }

    @Test
    void podsRunWithIpsFromTheirNodesCidrsSpreadOverTheNodes() {
        namespace("spread");
        for (int i = 0; i < 10; i++) {
            client.pods().inNamespace("spread").resource(pod("p" + i, "500m").build()).create();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.pods().inNamespace("spread").list().getItems().stream()
                .filter(p -> "Running".equals(phase(p))).count() == 10);
        Set<String> usedNodes = new HashSet<>();
        Set<String> ips = new HashSet<>();
        for (Pod p : client.pods().inNamespace("spread").list().getItems()) {
            String node = p.getSpec().getNodeName();
            usedNodes.add(node);
            int n = Integer.parseInt(node.substring(node.length() - 4)) - 1;
            assertThat(p.getStatus().getPodIP()).startsWith("10.42." + n + ".");
            assertThat(p.getStatus().getHostIP()).isEqualTo("172.20.0." + (n + 1));
            assertThat(p.getStatus().getStartTime()).isNotBlank();
            assertThat(p.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                    .contains(org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"), org.assertj.core.groups.Tuple.tuple("Initialized", "True"),
                            org.assertj.core.groups.Tuple.tuple("ContainersReady", "True"), org.assertj.core.groups.Tuple.tuple("Ready", "True"));
            var cs = p.getStatus().getContainerStatuses().getFirst();
            assertThat(cs.getReady()).isTrue();
            assertThat(cs.getStarted()).isTrue();
            assertThat(cs.getRestartCount()).isZero();
            assertThat(cs.getState().getRunning().getStartedAt()).isNotBlank();
            assertThat(cs.getImage()).isEqualTo("registry.k8s.io/pause:3.10");
            assertThat(cs.getImageID()).startsWith("registry.k8s.io/pause@sha256:");
            assertThat(cs.getContainerID()).matches("containerd://[0-9a-f]{64}");
            ips.add(p.getStatus().getPodIP());
        }
        assertThat(ips).as("distinct pod IPs").hasSize(10);
        assertThat(usedNodes).as("least-allocated scoring spreads 10 pods over all 3 nodes").hasSize(3);
        List<Event> scheduled = client.v1().events().inNamespace("spread").withField("reason", "Scheduled").list().getItems();
        assertThat(scheduled).hasSize(10).allSatisfy(e -> assertThat(e.getMessage())
                .matches("Successfully assigned spread/p\\d to sim-node-000[123]"));
    }

    @Test
    void kubectlShowsThreeReadyNodes() throws Exception {
        String out = cluster.kubectl("get", "nodes");
        List<String> lines = out.lines().toList();
        assertThat(lines.getFirst()).matches("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION");
        assertThat(lines.subList(1, lines.size())).hasSize(3)
                .allSatisfy(l -> assertThat(l).matches("sim-node-000[123]\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.0"));
        String wide = cluster.kubectl("get", "nodes", "-o", "wide", "--field-selector", "metadata.name=sim-node-0002");
        assertThat(wide).contains("INTERNAL-IP").contains("172.20.0.2").contains("skiff-sim://0.1.0");
        assertThat(cluster.kubectl("get", "nodes", "--field-selector", "spec.unschedulable=false", "-o", "name").lines())
                .hasSize(3);
        assertThat(cluster.kubectl("get", "nodes", "-l", "topology.kubernetes.io/zone=zone-b", "-o", "name").strip())
                .isEqualTo("node/sim-node-0002");
        var node = client.nodes().withName("sim-node-0001").get();
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.42.0.0/24");
        assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
        assertThat(node.getMetadata().getLabels()).containsEntry(SimulatedNodesConfig.SIMULATED_LABEL, "true")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64");
    }

    @Test
    void aPodTooBigForEveryNodeStaysPendingWithFailedScheduling() throws Exception {
        namespace("big");
        client.pods().inNamespace("big").resource(pod("huge", "64").build()).create();
        String expected = "0/3 nodes are available: 3 Insufficient cpu.";
        await().atMost(Duration.ofSeconds(20)).until(() -> client.v1().events().inNamespace("big")
                .withField("reason", "FailedScheduling").list().getItems().stream().anyMatch(e -> e.getMessage().startsWith(expected)));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Pod p = get("big", "huge");
            return p.getStatus().getConditions() != null && p.getStatus().getConditions().stream().anyMatch(c ->
                    c.getType().equals("PodScheduled") && c.getStatus().equals("False") && c.getReason().equals("Unschedulable")
                            && c.getMessage().startsWith(expected));
        });
        assertThat(phase(get("big", "huge"))).isEqualTo("Pending");
        assertThat(get("big", "huge").getSpec().getNodeName()).isNull();
        String describe = cluster.kubectl("-n", "big", "describe", "pod", "huge");
        assertThat(describe).contains("FailedScheduling").contains(expected).contains("default-scheduler");
    }

    @Test
    void nodeSelectorsAndTaintsSteerPods() {
        namespace("steer");
        var selected = pod("selected", "100m").editSpec().addToNodeSelector("kubernetes.io/hostname", "sim-node-0002").endSpec().build();
        client.pods().inNamespace("steer").resource(selected).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(get("steer", "selected"))));
        assertThat(get("steer", "selected").getSpec().getNodeName()).isEqualTo("sim-node-0002");

        Taint taint = new TaintBuilder().withKey("dedicated").withValue("x").withEffect("NoSchedule").build();
        client.nodes().withName("sim-node-0003").edit(n -> {
            n.getSpec().setTaints(List.of(taint));
            return n;
        });
        try {
            var intolerant = pod("intolerant", "100m").editSpec().addToNodeSelector("kubernetes.io/hostname", "sim-node-0003").endSpec().build();
            client.pods().inNamespace("steer").resource(intolerant).create();
            var tolerant = pod("tolerant", "100m").editSpec().addToNodeSelector("kubernetes.io/hostname", "sim-node-0003")
                    .addNewToleration().withKey("dedicated").withOperator("Equal").withValue("x").withEffect("NoSchedule").endToleration()
                    .endSpec().build();
            client.pods().inNamespace("steer").resource(tolerant).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(get("steer", "tolerant"))));
            assertThat(get("steer", "tolerant").getSpec().getNodeName()).isEqualTo("sim-node-0003");
            await().atMost(Duration.ofSeconds(20)).until(() -> client.v1().events().inNamespace("steer")
                    .withField("involvedObject.name", "intolerant").list().getItems().stream().anyMatch(e -> e.getMessage().contains(
                            "1 node(s) had untolerated taint {dedicated: x}, 2 node(s) didn't match Pod's node affinity/selector.")));
            assertThat(phase(get("steer", "intolerant"))).isEqualTo("Pending");
        } finally {
            client.nodes().withName("sim-node-0003").edit(n -> {
                n.getSpec().setTaints(List.of());
                return n;
            });
        }
        // the taint's removal is a node event that retries the parked pod
        await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(get("steer", "intolerant"))));
    }

    @Test
    void exitCodeAnnotationFinishesPods() {
        namespace("jobs");
        for (var e : Map.of("ok", "0", "bad", "3").entrySet()) {
            client.pods().inNamespace("jobs").resource(pod(e.getKey(), "100m").editMetadata()
                    .addToAnnotations("skiff.dev/simulate-exit-code", e.getValue()).endMetadata().build()).create();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "Succeeded".equals(phase(get("jobs", "ok")))
                && "Failed".equals(phase(get("jobs", "bad"))));
        var bad = get("jobs", "bad").getStatus();
        assertThat(bad.getContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(bad.getContainerStatuses().getFirst().getState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(bad.getContainerStatuses().getFirst().getReady()).isFalse();
        var ok = get("jobs", "ok").getStatus();
        assertThat(ok.getContainerStatuses().getFirst().getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(ok.getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False")
                && "PodCompleted".equals(c.getReason()));
        assertThat(ok.getPodIP()).startsWith("10.42.");
    }

    @Test
    void deletedPodsAreRemovedAsAKubeletWould() {
        namespace("gone");
        client.pods().inNamespace("gone").resource(pod("short", "100m").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(get("gone", "short"))));
        // a bound pod's delete only marks it (grace period 30 s); the simulated kubelet finishes it
        client.pods().inNamespace("gone").withName("short").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("gone", "short") == null);
    }

    @Test
    void nodeLeasesAreRenewed() {
        List<Lease> before = new ArrayList<>();
        IntStream.rangeClosed(1, 3).forEach(i -> before.add(client.leases().inNamespace("kube-node-lease")
                .withName("sim-node-000" + i).get()));
        assertThat(before).allSatisfy(l -> {
            assertThat(l.getSpec().getHolderIdentity()).isEqualTo(l.getMetadata().getName());
            assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
            assertThat(l.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("Node"));
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (Lease old : before) {
                Lease now = client.leases().inNamespace("kube-node-lease").withName(old.getMetadata().getName()).get();
                assertThat(now.getSpec().getRenewTime()).isAfter(old.getSpec().getRenewTime());
            }
        });
        assertThat(nodes.heartbeatStats().renewals()).isPositive();
    }
}
