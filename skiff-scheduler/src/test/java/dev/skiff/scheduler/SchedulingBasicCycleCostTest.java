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
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * Upstream scheduler_perf's SchedulingBasic shape without the API: 5,000 nodes of 4 CPU / 32 GiB /
 * 110 pods, 1,000 initial and 10,000 measured pods of 100m / 500Mi without owners, scheduled in
 * memory with the default profile. Prints the scheduling thread's CPU time per measured pod, which
 * (unlike wall time) hardly depends on how loaded the machine is; asserts only correctness.
 */
class SchedulingBasicCycleCostTest {

    static final int NODES = 5_000;
    static final int INITIAL = 1_000;
    static final int MEASURED = 10_000;

    @Test
    void schedulesSchedulingBasicAndReportsCpuPerPod() throws InterruptedException {
        Map<String, Integer> boundPerNode = new HashMap<>();
        Nominator nominator = new Nominator();
        Framework fw = new Framework(InTreeRegistry.defaultProfile(), InTreeRegistry.factories(new Random(7)),
                new Framework.Options(new Random(7), nominator, (pod, nodeName) -> boundPerNode.merge(nodeName, 1, Integer::sum),
                        new TestFrameworks.Recorder(), new InMemoryClusterLister()));
        SchedulerCache cache = new SchedulerCache();
        for (int i = 0; i < NODES; i++) {
            cache.addNode(node(String.format("scheduler-perf-%05d", i))
                    .allocatable("cpu", "4").allocatable("memory", "32Gi").allocatable("pods", "110").build());
        }
        SchedulingQueue queue = new SchedulingQueue(new FakeClock(), QueueOptions.DEFAULTS, fw.eventsByPlugin(), nominator);
        Scheduler scheduler = new Scheduler(fw, cache, queue, SchedulingEvents.NONE);

        assertThat(drain(queue, scheduler, pods("init", INITIAL))).isEqualTo(INITIAL);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        int bound = drain(queue, scheduler, pods("measured", MEASURED));
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
        double wallS = (System.nanoTime() - wall0) / 1e9;
        System.out.printf("SchedulingBasic in memory: %d pods on %d nodes, %.3f ms CPU per pod (%.0f pods/s of one core), wall %.2f s%n",
                bound, NODES, cpuMs / bound, bound / (cpuMs / 1000), wallS);

        assertThat(bound).isEqualTo(MEASURED);
        assertThat(cache.podCount()).isEqualTo(INITIAL + MEASURED);
        // LeastAllocated spreads 11,000 equal pods over 5,000 equal nodes: 2 or 3 each
        assertThat(boundPerNode.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThanOrEqualTo(4);
    }

    private static List<Pod> pods(String prefix, int n) {
        List<Pod> pods = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pods.add(pod(prefix + "-" + i).container("cpu=100m,memory=500Mi").build());
        }
        return pods;
    }

    /** Adds the pods and schedules until the queue is empty; returns how many were bound. */
    private static int drain(SchedulingQueue queue, Scheduler scheduler, List<Pod> pods) throws InterruptedException {
        for (Pod p : pods) {
            assertThat(queue.add(p)).isTrue();
        }
        int bound = 0;
        Optional<QueuedPodInfo> next;
        while ((next = queue.pop(Duration.ZERO)).isPresent()) {
            if (scheduler.scheduleOne(next.get()) instanceof CycleOutcome.Bound) {
                bound++;
            }
        }
        return bound;
    }
}
