package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.SchedulingEvents;
import dev.skiff.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link SchedulingEvents} written to the API: a {@code Scheduled} or {@code FailedScheduling} event
 * (through {@link EventRecorder}) and, on failure, the pod's {@code PodScheduled=False} condition and
 * {@code status.nominatedNodeName} through {@code pods/status}, as upstream's
 * {@code handleSchedulingFailure}.
 *
 * <p>The scheduling thread only offers writes to a bounded queue; {@value #WORKERS} virtual threads
 * perform them. When the queue is full a write is dropped and logged, as upstream's event
 * broadcaster drops: the pod is retried later and its next failure writes again. Closing stops the
 * workers after the writes in hand.
 */
final class ApiSchedulingEvents implements SchedulingEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiSchedulingEvents.class);
    private static final int WORKERS = 4;
    private static final int CAPACITY = 10_000;

    private final KubernetesClient client;
    private final EventRecorder recorder;
    private final AsyncBinder binder;
    private final InstantSource clock;
    private final BlockingQueue<Runnable> writes = new ArrayBlockingQueue<>(CAPACITY);
    private final List<Thread> workers = new ArrayList<>(WORKERS);
    private volatile boolean running = true;
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastDropLog = new java.util.concurrent.atomic.AtomicLong();

    ApiSchedulingEvents(KubernetesClient client, EventRecorder recorder, AsyncBinder binder, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.binder = Objects.requireNonNull(binder, "binder");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 0; i < WORKERS; i++) {
            workers.add(Thread.ofVirtual().name("scheduler-events-" + i).start(this::work));
        }
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        Pod p = pod.pod();
        // only once the binding is written, as upstream; a failed one reports FailedScheduling instead
        binder.outcome(pod.key()).thenRun(() -> offer(() -> recorder.record(p, "Normal", "Scheduled", "Binding",
                "Successfully assigned %s/%s to %s".formatted(p.getMetadata().getNamespace(), p.getMetadata().getName(), nodeName))));
    }

    @Override
    public void failedScheduling(PodInfo pod, String reason, String message, String nominatedNodeName) {
        Pod p = pod.pod();
        boolean statusSame = saysAlready(p, reason, message, nominatedNodeName);
        offer(() -> {
            recorder.record(p, "Warning", "FailedScheduling", "Scheduling", message);
            if (!statusSame) {
                updateCondition(p, reason, message, nominatedNodeName);
            }
        });
    }

    /**
     * Whether the pod, as the informer last saw it, already has this PodScheduled=False condition and
     * nomination: then, as upstream's {@code updatePod}, nothing is written (and nothing read).
     */
    private static boolean saysAlready(Pod pod, String reason, String message, String nominatedNodeName) {
        PodCondition old = PodConditions.of(pod).stream().filter(c -> "PodScheduled".equals(c.getType()))
                .findFirst().orElse(null);
        String oldNominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        boolean nominatedSame = nominatedNodeName == null || nominatedNodeName.equals(oldNominated == null ? "" : oldNominated);
        return old != null && "False".equals(old.getStatus()) && reason.equals(old.getReason())
                && message.equals(old.getMessage()) && nominatedSame;
    }

    /** Sets PodScheduled=False unless the pod already says the same; reads the pod first, as conditions are a list. */
    private void updateCondition(Pod cached, String reason, String message, String nominatedNodeName) {
        var pods = client.pods().inNamespace(cached.getMetadata().getNamespace()).withName(cached.getMetadata().getName());
        Pod current = pods.get();
        if (current == null || !Objects.equals(current.getMetadata().getUid(), cached.getMetadata().getUid())
                || (current.getSpec().getNodeName() != null && !current.getSpec().getNodeName().isEmpty())) {
            return; // gone, replaced or bound meanwhile
        }
        if (saysAlready(current, reason, message, nominatedNodeName)) {
            return;
        }
        List<PodCondition> conditions = PodConditions.of(current);
        PodCondition old = conditions.stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
        String transition = old != null && "False".equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : EventRecorder.format(clock.instant());
        conditions.remove(old);
        conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason(reason)
                .withMessage(message).withLastTransitionTime(transition).build());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("conditions", conditions);
        if (nominatedNodeName != null) {
            status.put("nominatedNodeName", nominatedNodeName.isEmpty() ? null : nominatedNodeName);
        }
        PodConditions.patchStatus(pods, status);
    }

    private void offer(Runnable write) {
        if (!writes.offer(write)) {
            // one line per 10 s, not per drop: a backlog of thousands of unschedulable pods would flood the log
            long total = dropped.incrementAndGet();
            long now = System.nanoTime();
            long last = lastDropLog.get();
            if ((last == 0 || now - last > DROP_LOG_INTERVAL_NANOS) && lastDropLog.compareAndSet(last, now)) {
                log.warn("scheduler event queue full ({} writes); {} writes dropped so far", CAPACITY, total);
            }
        }
    }

    private void work() {
        while (running || !writes.isEmpty()) {
            try {
                Runnable w = writes.poll(200, TimeUnit.MILLISECONDS);
                if (w != null) {
                    w.run();
                }
            } catch (InterruptedException e) {
                return;
            } catch (KubernetesClientException e) {
                log.debug("scheduler status write failed: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("scheduler status write failed", e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : workers) {
            if (!t.join(java.time.Duration.ofSeconds(5))) {
                t.interrupt();
            }
        }
    }
}
