package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.SchedulingEvents;
import dev.skiff.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SchedulingEvents} written to the API: a {@code Scheduled} or {@code FailedScheduling} event
 * (through {@link EventRecorder}) and, on failure, the pod's {@code PodScheduled=False} condition and
 * {@code status.nominatedNodeName} through {@code pods/status}, as upstream's
 * {@code handleSchedulingFailure}.
 *
 * <p>The scheduling thread only offers writes to two {@link WriteQueue}s and goes on: events to one
 * of upstream's size ({@value #EVENT_CAPACITY}, dropped past that as upstream's event broadcaster
 * drops), pod status writes to a larger one ({@value #STATUS_CAPACITY}), so that a burst of
 * {@code Scheduled} events cannot crowd out the conditions of pods that failed. A dropped status
 * write is not lost for good: the pod is retried and its next failure writes again. Closing stops
 * the workers after the writes in hand.
 */
final class ApiSchedulingEvents implements SchedulingEvents, AutoCloseable {

    static final int EVENT_CAPACITY = 1_000;
    static final int STATUS_CAPACITY = 10_000;
    private static final int WORKERS = 4;

    private final KubernetesClient client;
    private final EventRecorder recorder;
    private final AsyncBinder binder;
    private final InstantSource clock;
    private final WriteQueue events = new WriteQueue("scheduler-events", WORKERS, EVENT_CAPACITY);
    private final WriteQueue statuses = new WriteQueue("scheduler-status", WORKERS, STATUS_CAPACITY);
    /** The status writes queued and not yet done, by pod key and content. */
    private final Set<String> statusQueued = ConcurrentHashMap.newKeySet();

    ApiSchedulingEvents(KubernetesClient client, EventRecorder recorder, AsyncBinder binder, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.binder = Objects.requireNonNull(binder, "binder");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        Pod p = pod.pod();
        // only once the binding is written, as upstream; a failed one reports FailedScheduling instead
        binder.outcome(pod.key()).thenRun(() -> event(p, "Normal", "Scheduled", "Binding",
                "Successfully assigned %s/%s to %s".formatted(p.getMetadata().getNamespace(), p.getMetadata().getName(), nodeName)));
    }

    @Override
    public void failedScheduling(PodInfo pod, String reason, String message, String nominatedNodeName) {
        Pod p = pod.pod();
        boolean statusSame = saysAlready(p, reason, message, nominatedNodeName);
        event(p, "Warning", "FailedScheduling", "Scheduling", message);
        // one queued write per pod and outcome: a pod retried (every 10 s with no nodes) before its first
        // write landed, so that its cached copy does not say so yet, must not queue the same write again
        String pending = pod.key() + "\u0000" + reason + "\u0000" + message + "\u0000" + nominatedNodeName;
        if (!statusSame && statusQueued.add(pending) && !statuses.offer(() -> {
            try {
                updateCondition(p, reason, message, nominatedNodeName);
            } finally {
                statusQueued.remove(pending);
            }
        })) {
            statusQueued.remove(pending);
        }
    }

    /** Queues the event's write, if the recorder says it needs one (repeats are counted in memory). */
    private void event(Pod p, String type, String reason, String action, String message) {
        Runnable write = recorder.prepare(p, type, reason, action, message);
        if (write != null && !events.offer(write)) {
            recorder.forget(p, reason, message);
        }
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

    /** Events dropped so far because their queue was full (upstream drops them the same way). */
    long droppedEvents() {
        return events.dropped();
    }

    @Override
    public void close() throws InterruptedException {
        try (statuses) {
            events.close();
        }
    }
}
