package dev.skiff.simulator;

import dev.skiff.scheduler.wiring.SchedulerConfig;
import dev.skiff.scheduler.wiring.SchedulerService;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skiff.simulator.TestCluster.phase;
import static dev.skiff.simulator.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two schedulers on one Lease: exactly one schedules; when it stops, the other takes over. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaderElectionTest {

    @TempDir
    Path dir;

    private static SchedulerConfig config(String identity) {
        return SchedulerConfig.defaults(identity)
                .withLeaderElection(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(300));
    }

    @Test
    void onlyTheLeaderBindsAndAStandbyTakesOver() throws Exception {
        try (TestCluster cluster = new TestCluster(dir);
             var clientA = cluster.newClient();
             var clientB = cluster.newClient();
             SimulatedNodes nodes = new SimulatedNodes(cluster.client, SimulatedNodesConfig.of(2))) {
            var client = cluster.client;
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("le").endMetadata().build()).create();
            SchedulerService a = new SchedulerService(clientA, config("sched-a"));
            SchedulerService b = new SchedulerService(clientB, config("sched-b"));
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> a.isScheduling() || b.isScheduling());
                SchedulerService leader = a.isScheduling() ? a : b;
                String leaderId = leader == a ? "sched-a" : "sched-b";
                String standbyId = leader == a ? "sched-b" : "sched-a";
                for (int i = 0; i < 6; i++) {
                    client.pods().inNamespace("le").resource(pod("p" + i, "100m").build()).create();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> client.pods().inNamespace("le").list().getItems().stream()
                        .filter(p -> "Running".equals(phase(p))).count() == 6);
                // over the whole run, never both
                assertThat(a.isScheduling() && b.isScheduling()).isFalse();
                Lease lease = client.leases().inNamespace("kube-system").withName("kube-scheduler").get();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leaderId);
                List<Event> scheduled = client.v1().events().inNamespace("le").withField("reason", "Scheduled").list().getItems();
                assertThat(scheduled).hasSize(6).allSatisfy(e -> assertThat(e.getReportingInstance()).isEqualTo(leaderId));

                leader.close();
                SchedulerService standby = leader == a ? b : a;
                await().atMost(Duration.ofSeconds(15)).until(standby::isScheduling);
                client.pods().inNamespace("le").resource(pod("after", "100m").build()).create();
                await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(phase(client.pods().inNamespace("le").withName("after").get())));
                assertThat(client.v1().events().inNamespace("le").withField("involvedObject.name", "after").list().getItems())
                        .filteredOn(e -> e.getReason().equals("Scheduled"))
                        .singleElement().satisfies(e -> assertThat(e.getReportingInstance()).isEqualTo(standbyId));
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /**
     * A scheduler that loses its Lease (another holder took it, as after a missed renewal on a
     * loaded machine) stops, and takes the Lease back once the other holder's term lapses: in one
     * process with the rest of the cluster there is nobody to restart it, as upstream's binary is.
     */
    @Test
    void aSchedulerThatLostItsLeaseLeadsAgainLater() throws Exception {
        try (TestCluster cluster = new TestCluster(dir);
             var clientA = cluster.newClient();
             SimulatedNodes nodes = new SimulatedNodes(cluster.client, SimulatedNodesConfig.of(1))) {
            var client = cluster.client;
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("relead").endMetadata().build()).create();
            SchedulerService a = new SchedulerService(clientA, config("sched-a"));
            try {
                await().atMost(Duration.ofSeconds(15)).until(a::isScheduling);
                // an intruder takes the Lease for one term
                client.leases().inNamespace("kube-system").withName("kube-scheduler").edit(l -> {
                    l.getSpec().setHolderIdentity("intruder");
                    l.getSpec().setRenewTime(java.time.ZonedDateTime.now());
                    l.getSpec().setAcquireTime(java.time.ZonedDateTime.now());
                    return l;
                });
                await().atMost(Duration.ofSeconds(15)).until(() -> !a.isScheduling());
                await().atMost(Duration.ofSeconds(30)).until(a::isScheduling);
                assertThat(client.leases().inNamespace("kube-system").withName("kube-scheduler").get()
                        .getSpec().getHolderIdentity()).isEqualTo("sched-a");
                client.pods().inNamespace("relead").resource(pod("later", "100m").build()).create();
                await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(
                        phase(client.pods().inNamespace("relead").withName("later").get())));
            } finally {
                a.close();
            }
        }
    }
}
