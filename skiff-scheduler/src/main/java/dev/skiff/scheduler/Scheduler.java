package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.FailedSchedulingMessage;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PostFilterPlugin;
import dev.skiff.scheduler.framework.ScheduleAttempt;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.queue.QueuedPodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's {@code scheduleOne}: take a pod from the queue, refresh the snapshot, run the
 * algorithm, and either assume + reserve + permit + bind it, or run PostFilter (preemption), report
 * why it fits nowhere and park it. Binding runs inline here; the API wiring may hand it to a virtual
 * thread, since the pod is already assumed in the cache.
 *
 * <p>One scheduling thread calls {@link #scheduleOne}; the cache and queue are thread-safe for the
 * informer threads.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final Framework framework;
    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final dev.skiff.scheduler.framework.PodNominator nominator;
    private final SchedulingEvents events;
    private final Snapshot snapshot;

    public Scheduler(Framework framework, SchedulerCache cache, SchedulingQueue queue, SchedulingEvents events) {
        this.framework = Objects.requireNonNull(framework, "framework");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.nominator = framework.nominator();
        this.events = Objects.requireNonNull(events, "events");
        this.snapshot = new Snapshot(framework.lister());
    }

    /** Schedules one popped pod to completion (bound, parked or backing off). */
    public CycleOutcome scheduleOne(QueuedPodInfo queued) {
        long cycle = queue.schedulingCycle();
        PodInfo pod = queued.pod();
        // upstream's skipPodSchedule: a duplicate add or a deletion raced with the pop
        if (pod.isTerminating() || cache.contains(pod.key())) {
            queue.done(pod.key());
            return new CycleOutcome.Skipped(pod.key());
        }
        cache.updateSnapshot(snapshot);
        CycleState state = new CycleState();
        ScheduleAttempt attempt = framework.schedulePod(state, pod, snapshot);
        return switch (attempt) {
            case ScheduleAttempt.Scheduled s -> assumeAndBind(queued, state, s.nodeName(), cycle);
            case ScheduleAttempt.NoFit nf -> handleNoFit(queued, state, nf.diagnosis(), cycle);
            case ScheduleAttempt.Failed f -> fail(queued, cycle, f.error().message());
        };
    }

    private CycleOutcome handleNoFit(QueuedPodInfo queued, CycleState state, Diagnosis diagnosis, long cycle) {
        PodInfo pod = queued.pod();
        String nominated = null;
        List<PodInfo> victims = List.of();
        if (framework.hasPostFilterPlugins()) {
            PostFilterPlugin.Outcome o = framework.runPostFilterPlugins(state, pod, snapshot, diagnosis);
            if (o.status() instanceof Status.Error e) {
                log.warn("PostFilter for {} failed: {}", pod.key(), e.message());
            }
            if (!o.status().isSuccess()) {
                diagnosis = diagnosis.withPostFilterMsg(o.status().message());
            }
            if (o.result() != null) {
                nominated = o.result().nominatedNodeName();
                victims = o.result().victims();
                if (nominated.isEmpty()) {
                    nominator.deleteNominatedPodIfExists(pod.key());
                } else {
                    nominator.addNominatedPod(pod, nominated);
                }
            }
        }
        String message = FailedSchedulingMessage.of(diagnosis);
        log.debug("unable to schedule {}: {}", pod.key(), message);
        events.failedScheduling(pod, "Unschedulable", message, nominated);
        // no rejecting plugin (no nodes at all) means back-off and retry, as for errors
        queue.addUnschedulable(queued.rejectedBy(diagnosis.unschedulablePlugins()), cycle);
        return new CycleOutcome.Unschedulable(pod.key(), message, nominated, victims);
    }

    private CycleOutcome assumeAndBind(QueuedPodInfo queued, CycleState state, String nodeName, long cycle) {
        PodInfo pod = queued.pod();
        cache.assumePod(pod, nodeName);
        Status s = framework.runReservePlugins(state, pod, nodeName);
        if (s.isSuccess()) {
            s = framework.runPermitPlugins(state, pod, nodeName);
            if (s.isSuccess()) {
                s = framework.runBindPlugins(state, pod, nodeName);
            }
            if (!s.isSuccess()) {
                framework.runUnreservePlugins(state, pod, nodeName);
            }
        }
        if (!s.isSuccess()) {
            cache.forgetPod(pod.key());
            // the room this pod held is free again: parked pods may fit now
            queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
            return fail(queued, cycle, s.message());
        }
        queue.done(pod.key());
        nominator.deleteNominatedPodIfExists(pod.key());
        events.scheduled(pod, nodeName);
        return new CycleOutcome.Bound(pod.key(), nodeName);
    }

    private CycleOutcome fail(QueuedPodInfo queued, long cycle, String message) {
        events.failedScheduling(queued.pod(), "SchedulerError", message, null);
        queue.addUnschedulable(queued.rejectedBy(Set.of()), cycle);
        return new CycleOutcome.Failed(queued.pod().key(), message);
    }
}
