package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.InMemoryClusterLister;
import dev.skiff.scheduler.framework.TestFrameworks;
import dev.skiff.scheduler.plugins.InTreeRegistry;
import dev.skiff.scheduler.queue.FakeClock;
import dev.skiff.scheduler.queue.Nominator;
import dev.skiff.scheduler.queue.QueueOptions;
import dev.skiff.scheduler.queue.QueuedPodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pure scheduling loop at scale: 5,000 nodes in 3 zones and 10,000 pods owned by 100
 * ReplicaSets (so the default spreading constraints apply), scheduled in memory with the default
 * profile. Prints pods/s; asserts only correctness (every pod bound, no node over-committed,
 * spreading kept hosts and zones balanced), never speed.
 */
class SchedulingLoopScaleTest {

    static final int NODES = 5_000;
    static final int PODS = 10_000;
    static final int REPLICA_SETS = 100;

    @Test
    void schedulesTenThousandPodsOnFiveThousandNodes() throws InterruptedException {
        InMemoryClusterLister lister = new InMemoryClusterLister();
        for (int r = 0; r < REPLICA_SETS; r++) {
            lister.add(new ReplicaSetBuilder().withNewMetadata().withName("rs" + r).withNamespace("default").endMetadata()
                    .withNewSpec().withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "app" + r)).build())
                    .endSpec().build());
        }
        Map<String, Integer> boundPerNode = new HashMap<>();
        Nominator nominator = new Nominator();
        TestFrameworks.Recorder evictor = new TestFrameworks.Recorder();
        Framework fw = new Framework(InTreeRegistry.defaultProfile(), InTreeRegistry.factories(new Random(5)),
                new Framework.Options(new Random(5), nominator, (pod, nodeName) -> boundPerNode.merge(nodeName, 1, Integer::sum),
                        evictor, lister));
        SchedulerCache cache = new SchedulerCache();
        for (int i = 0; i < NODES; i++) {
            cache.addNode(node(String.format("node-%05d", i)).zone("zone-" + (i % 3)).build());
        }
        SchedulingQueue queue = new SchedulingQueue(new FakeClock(), QueueOptions.DEFAULTS, fw.eventsByPlugin(), nominator);
        Scheduler scheduler = new Scheduler(fw, cache, queue, SchedulingEvents.NONE);

        List<Pod> pods = new ArrayList<>(PODS);
        for (int i = 0; i < PODS; i++) {
            pods.add(pod(String.format("pod-%05d", i)).label("app", "app" + (i % REPLICA_SETS))
                    .container("cpu=" + (100 + (i % 5) * 100) + "m,memory=" + (128 + (i % 4) * 128) + "Mi").build());
        }
        long start = System.nanoTime();
        for (Pod p : pods) {
            assertThat(queue.add(p)).isTrue();
        }
        int bound = 0;
        int other = 0;
        Optional<QueuedPodInfo> next;
        while ((next = queue.pop(Duration.ZERO)).isPresent()) {
            if (scheduler.scheduleOne(next.get()) instanceof CycleOutcome.Bound) {
                bound++;
            } else {
                other++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("scheduled %d pods on %d nodes in %.2f s: %.0f pods/s%n", bound, NODES, seconds, bound / seconds);

        assertThat(other).isZero();
        assertThat(bound).isEqualTo(PODS);
        assertThat(cache.podCount()).isEqualTo(PODS);
        // LeastAllocated + hostname spreading: 2 pods per node on average, and no node far above
        int max = boundPerNode.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(max).isLessThanOrEqualTo(4);
        Map<String, Integer> perZone = new HashMap<>();
        boundPerNode.forEach((n, c) -> perZone.merge("zone-" + (Integer.parseInt(n.substring(5)) % 3), c, Integer::sum));
        assertThat(perZone.values()).allSatisfy(c -> assertThat(c).isBetween(PODS / 3 - 200, PODS / 3 + 200));
    }
}
