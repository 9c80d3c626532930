package dev.skiff.simulator;

import dev.skiff.scheduler.wiring.SchedulerConfig;
import dev.skiff.scheduler.wiring.SchedulerService;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.skiff.simulator.TestCluster.phase;
import static dev.skiff.simulator.TestCluster.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scale probe, not a default test (surefire's name patterns skip it): 1,000 simulated nodes
 * heartbeating every 10 s, 2,000 pods scheduled and run. Prints pods/s and heartbeat lag.
 * Run: {@code mvn -pl skiff-simulator -am test -Dtest=SimulatedScaleProbe -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SimulatedScaleProbe {

    static final int NODES = Integer.getInteger("probe.nodes", 1000);
    static final int PODS = Integer.getInteger("probe.pods", 2000);

    @TempDir
    Path dir;

    @Test
    void thousandNodesTwoThousandPods() throws Exception {
        try (TestCluster cluster = new TestCluster(dir); var schedClient = cluster.newClient(); var simClient = cluster.newClient()) {
            var client = cluster.client;
            long t0 = System.nanoTime();
            // 1,000 /24s do not fit in 10.42.0.0/16: take the largest node CIDR that does (/26 for 1,000, /29 for 5,000)
            int mask = 24;
            while ((1L << (mask - 16)) < NODES) {
                mask++;
            }
            SimulatedNodesConfig config = SimulatedNodesConfig.of(NODES).withPodCidrs("10.42.0.0/16", mask);
            try (SimulatedNodes nodes = new SimulatedNodes(simClient, config)) {
                double registerSeconds = (System.nanoTime() - t0) / 1e9;
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("load").endMetadata().build()).create();
                SharedIndexInformer<Pod> watch = client.pods().inNamespace("load").inform();
                // the backlog is created first, so that the scheduler's own pace shows, not the creators'
                long c0 = System.nanoTime();
                Concurrently.run(IntStream.range(0, PODS).boxed().toList(), 16,
                        i -> client.pods().inNamespace("load").resource(pod("p" + i, "100m").build()).create());
                double createSeconds = (System.nanoTime() - c0) / 1e9;
                SchedulerService scheduler = new SchedulerService(schedClient, SchedulerConfig.defaults("probe"));
                long start = System.nanoTime();
                double boundAt = -1;
                while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(4)) {
                    List<Pod> pods = watch.getStore().list();
                    long bound = pods.stream().filter(p -> p.getSpec().getNodeName() != null).count();
                    long running = pods.stream().filter(p -> "Running".equals(phase(p))).count();
                    if (boundAt < 0 && bound == PODS) {
                        boundAt = (System.nanoTime() - start) / 1e9;
                    }
                    if (running == PODS) {
                        break;
                    }
                    Thread.sleep(100);
                }
                double runningAt = (System.nanoTime() - start) / 1e9;
                watch.close();
                scheduler.close();
                long nodesUsed = client.pods().inNamespace("load").list().getItems().stream()
                        .map(p -> p.getSpec().getNodeName()).distinct().count();
                // let two more full heartbeat rounds pass under the settled load, then look at every Lease
                Thread.sleep(2 * config.leaseInterval().toMillis() + 1000);
                ZonedDateTime now = ZonedDateTime.now();
                List<Lease> leases = client.leases().inNamespace("kube-node-lease").list().getItems();
                long stale = leases.stream().filter(l -> l.getSpec().getRenewTime().isBefore(now.minusSeconds(15))).count();
                HeartbeatStats hb = nodes.heartbeatStats();
                System.out.printf("PROBE nodes=%d register=%.1fs pods=%d create=%.1fs allBound=%.1fs allRunning=%.1fs (from scheduler start, incl. leader election and sync) "
                                + "schedule=%.0f pods/s endToEnd=%.0f pods/s nodesUsed=%d%n",
                        NODES, registerSeconds, PODS, createSeconds, boundAt, runningAt, PODS / boundAt, PODS / runningAt, nodesUsed);
                System.out.printf("PROBE heartbeats renewals=%d failures=%d interval mean=%dms max=%dms (configured %dms) leases=%d staleOver15s=%d%n",
                        hb.renewals(), hb.failures(), hb.meanInterval().toMillis(), hb.maxInterval().toMillis(),
                        config.leaseInterval().toMillis(), leases.size(), stale);
                assertThat(boundAt).as("every pod bound").isGreaterThanOrEqualTo(0);
                assertThat(leases).hasSize(NODES);
                assertThat(stale).isZero();
            }
        }
    }
}
