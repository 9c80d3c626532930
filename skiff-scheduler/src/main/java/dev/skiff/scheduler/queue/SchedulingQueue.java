package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PodNominator;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Upstream's {@code PriorityQueue} of pending pods, in three parts:
 * <ul>
 *   <li><b>activeQ</b>: pods to try now, highest priority first, then oldest;</li>
 *   <li><b>backoffQ</b>: pods that failed recently, each waiting out its back-off (1 s doubling to
 *       10 s with its attempts);</li>
 *   <li><b>unschedulable</b>: pods that fit nowhere, parked until a cluster event that one of their
 *       rejecting plugins registered for (or after 5 minutes, by {@link #flushUnschedulableLeftover}).</li>
 * </ul>
 * A move request that arrives while a pod is being scheduled sends that pod to backoffQ rather than
 * unschedulable, so the event is not lost. Pods with scheduling gates wait in unschedulable until an
 * update removes the gates. Deleting a pod also drops its nomination.
 *
 * <p>Thread-safe (one lock; {@link #pop} blocks on it). Time comes from the injected clock; the
 * periodic flushes are called by the scheduler's loop (or by tests) and never start threads here.
 * Bounded: {@link #add} refuses pods beyond {@code maxPods}.
 */
public final class SchedulingQueue {

    /** The pseudo-plugin that holds pods with {@code spec.schedulingGates}. */
    public static final String SCHEDULING_GATES = "SchedulingGates";

    private final InstantSource clock;
    private final QueueOptions options;
    /** Plugin name to the events it registered; a null value means "every event". */
    private final Map<String, List<ClusterEvent>> pluginEvents;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final TreeSet<QueuedPodInfo> active = new TreeSet<>(Comparator
            .comparingInt((QueuedPodInfo q) -> -q.pod().priority())
            .thenComparing(QueuedPodInfo::timestamp)
            .thenComparing(QueuedPodInfo::key));
    private final TreeSet<QueuedPodInfo> backoff;
    private final Map<String, QueuedPodInfo> activeByKey = new HashMap<>();
    private final Map<String, QueuedPodInfo> backoffByKey = new HashMap<>();
    private final Map<String, QueuedPodInfo> unschedulable = new LinkedHashMap<>();
    private final Map<String, QueuedPodInfo> inFlight = new HashMap<>();
    private final PodNominator nominator;
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    public SchedulingQueue(InstantSource clock, QueueOptions options, Map<String, List<ClusterEvent>> pluginEvents,
                           PodNominator nominator) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nominator = Objects.requireNonNull(nominator, "nominator");
        this.options = Objects.requireNonNull(options, "options");
        this.pluginEvents = new HashMap<>(pluginEvents);
        this.backoff = new TreeSet<>(Comparator.comparing(this::backoffExpiry).thenComparing(QueuedPodInfo::key));
    }

    // ---- adding and removing ------------------------------------------------------------------

    /** A new pending pod. False when the queue is full (the caller retries on the next resync). */
    public boolean add(Pod pod) {
        lock.lock();
        try {
            PodInfo info = PodInfo.of(pod);
            if (size() >= options.maxPods() && !contains(info.key())) {
                return false;
            }
            removeEverywhere(info.key());
            Instant now = clock.instant();
            QueuedPodInfo q = new QueuedPodInfo(info, now, now, 0, Set.of());
            if (isGated(pod)) {
                unschedulable.put(q.key(), q.rejectedBy(Set.of(SCHEDULING_GATES)));
            } else {
                pushActive(q);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The pending pod changed. A parked pod whose spec or labels changed is retried (after its
     * back-off); a pod waiting in activeQ or backoffQ keeps its place with the new object.
     */
    public void update(Pod pod) {
        lock.lock();
        try {
            PodInfo info = PodInfo.of(pod);
            String key = info.key();
            QueuedPodInfo q;
            if (replaceWaiting(info)) {
                return;
            }
            if ((q = unschedulable.remove(key)) != null) {
                QueuedPodInfo updated = q.withPod(info);
                if (isGated(pod)) {
                    unschedulable.put(key, updated.rejectedBy(Set.of(SCHEDULING_GATES)));
                } else if (q.unschedulablePlugins().contains(SCHEDULING_GATES)) {
                    pushActive(updated.rejectedBy(Set.of()));
                } else {
                    requeue(updated);
                }
            } else {
                add(pod);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The pending pod changed in a way that is no reason to retry it (its status, as the scheduler's
     * own {@code nominatedNodeName} write): the queue keeps the newer object where the pod waits,
     * without moving it, as upstream's {@code Update} does for a pod that {@code isPodUpdated} calls
     * unchanged. The next attempt then sees, for one, the node preemption nominated it to.
     * A pod the queue does not hold is not added.
     */
    public void refresh(Pod pod) {
        lock.lock();
        try {
            PodInfo info = PodInfo.of(pod);
            QueuedPodInfo q;
            if (!replaceWaiting(info) && (q = unschedulable.get(info.key())) != null) {
                unschedulable.put(info.key(), q.withPod(info));
            }
        } finally {
            lock.unlock();
        }
    }

    /** The pending pod was deleted or got bound by someone else. */
    public void delete(String podKey) {
        lock.lock();
        try {
            removeEverywhere(podKey);
            inFlight.remove(podKey);
            nominator.deleteNominatedPodIfExists(podKey);
        } finally {
            lock.unlock();
        }
    }

    // ---- popping and returning ----------------------------------------------------------------

    /**
     * Takes the next pod from activeQ, waiting up to {@code timeout}; empty on timeout or close.
     * Starts a new scheduling cycle and counts an attempt.
     */
    public Optional<QueuedPodInfo> pop(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (active.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (closed) {
                return Optional.empty();
            }
            QueuedPodInfo q = active.pollFirst();
            activeByKey.remove(q.key());
            schedulingCycle++;
            QueuedPodInfo attempted = q.attempted();
            inFlight.put(q.key(), attempted);
            return Optional.of(attempted);
        } finally {
            lock.unlock();
        }
    }

    /** The cycle number of the last {@link #pop}, to pass back to {@link #addUnschedulable}. */
    public long schedulingCycle() {
        lock.lock();
        try {
            return schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a pod that failed in cycle {@code podCycle}. An internal error (no rejecting plugins),
     * or a move request since that cycle began, sends it to backoffQ; otherwise it is parked.
     */
    public void addUnschedulable(QueuedPodInfo failed, long podCycle) {
        lock.lock();
        try {
            QueuedPodInfo latest = inFlight.remove(failed.key());
            if (contains(failed.key())) {
                return; // re-added by an informer update meanwhile: that copy is newer
            }
            // an update that arrived during the cycle (refresh) left the newer object in flight
            QueuedPodInfo q = (latest == null ? failed : failed.withPod(latest.pod())).withTimestamp(clock.instant());
            if (q.unschedulablePlugins().isEmpty() || moveRequestCycle >= podCycle) {
                pushBackoff(q);
            } else {
                unschedulable.put(q.key(), q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The popped pod was scheduled (assumed); the queue forgets it. */
    public void done(String podKey) {
        lock.lock();
        try {
            inFlight.remove(podKey);
        } finally {
            lock.unlock();
        }
    }

    // ---- events and flushes -------------------------------------------------------------------

    /**
     * A cluster event happened: parked pods that one of their rejecting plugins registered this event
     * for move to activeQ (or to backoffQ while their back-off lasts). Pods being scheduled right now
     * will go to backoffQ when they fail.
     */
    public void onClusterEvent(ClusterEvent event) {
        lock.lock();
        try {
            List<QueuedPodInfo> moving = new ArrayList<>();
            for (QueuedPodInfo q : unschedulable.values()) {
                if (!q.unschedulablePlugins().contains(SCHEDULING_GATES) && interested(q, event)) {
                    moving.add(q);
                }
            }
            for (QueuedPodInfo q : moving) {
                unschedulable.remove(q.key());
                requeue(q);
            }
            moveRequestCycle = schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /** Moves every backoffQ pod whose back-off has expired to activeQ. Call about once a second. */
    public void flushBackoffCompleted() {
        lock.lock();
        try {
            Instant now = clock.instant();
            while (!backoff.isEmpty() && !backoffExpiry(backoff.first()).isAfter(now)) {
                QueuedPodInfo q = backoff.pollFirst();
                backoffByKey.remove(q.key());
                pushActive(q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Retries pods parked longer than {@code maxInUnschedulable}. Call about every 30 seconds. */
    public void flushUnschedulableLeftover() {
        lock.lock();
        try {
            Instant cutoff = clock.instant().minus(options.maxInUnschedulable());
            List<QueuedPodInfo> old = new ArrayList<>();
            for (QueuedPodInfo q : unschedulable.values()) {
                if (!q.unschedulablePlugins().contains(SCHEDULING_GATES) && q.timestamp().isBefore(cutoff)) {
                    old.add(q);
                }
            }
            for (QueuedPodInfo q : old) {
                unschedulable.remove(q.key());
                requeue(q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes {@link #pop} callers for good. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- inspection (tests, metrics) ----------------------------------------------------------

    public enum Where { ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT, ABSENT }

    public Where where(String podKey) {
        lock.lock();
        try {
            if (activeByKey.containsKey(podKey)) return Where.ACTIVE;
            if (backoffByKey.containsKey(podKey)) return Where.BACKOFF;
            if (unschedulable.containsKey(podKey)) return Where.UNSCHEDULABLE;
            if (inFlight.containsKey(podKey)) return Where.IN_FLIGHT;
            return Where.ABSENT;
        } finally {
            lock.unlock();
        }
    }

    /** Pods waiting in all three sub-queues (not counting pods being scheduled). */
    public int size() {
        lock.lock();
        try {
            return activeByKey.size() + backoffByKey.size() + unschedulable.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- internals (lock held) ----------------------------------------------------------------

    /** Swaps in the newer object of a pod in activeQ, backoffQ or in flight, keeping its place; false if none. */
    private boolean replaceWaiting(PodInfo info) {
        String key = info.key();
        QueuedPodInfo q;
        if ((q = activeByKey.get(key)) != null) {
            removeActive(key);
            pushActive(q.withPod(info));
        } else if ((q = backoffByKey.remove(key)) != null) {
            backoff.remove(q);
            pushBackoff(q.withPod(info));
        } else if ((q = inFlight.get(key)) != null) {
            inFlight.put(key, q.withPod(info));
        } else {
            return false;
        }
        return true;
    }

    private Instant backoffExpiry(QueuedPodInfo q) {
        return q.timestamp().plus(options.backoffFor(Math.max(1, q.attempts())));
    }

    private boolean interested(QueuedPodInfo q, ClusterEvent event) {
        if (event.equals(ClusterEvent.UNSCHEDULABLE_TIMEOUT) || q.unschedulablePlugins().isEmpty()) {
            return true;
        }
        for (String plugin : q.unschedulablePlugins()) {
            if (!pluginEvents.containsKey(plugin)) {
                return true; // a plugin that declared nothing hears everything
            }
            List<ClusterEvent> registered = pluginEvents.get(plugin);
            if (registered == null) {
                return true;
            }
            for (ClusterEvent r : registered) {
                if (r.covers(event)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** To backoffQ while backing off, else to activeQ. */
    private void requeue(QueuedPodInfo q) {
        if (q.attempts() > 0 && backoffExpiry(q).isAfter(clock.instant())) {
            pushBackoff(q);
        } else {
            pushActive(q);
        }
    }

    private void pushActive(QueuedPodInfo q) {
        active.add(q);
        activeByKey.put(q.key(), q);
        notEmpty.signal();
    }

    private void pushBackoff(QueuedPodInfo q) {
        backoff.add(q);
        backoffByKey.put(q.key(), q);
    }

    private void removeActive(String key) {
        QueuedPodInfo q = activeByKey.remove(key);
        if (q != null) {
            active.remove(q);
        }
    }

    private void removeEverywhere(String key) {
        removeActive(key);
        QueuedPodInfo b = backoffByKey.remove(key);
        if (b != null) {
            backoff.remove(b);
        }
        unschedulable.remove(key);
    }

    private boolean contains(String key) {
        return activeByKey.containsKey(key) || backoffByKey.containsKey(key) || unschedulable.containsKey(key);
    }

    private static boolean isGated(Pod pod) {
        return pod.getSpec().getSchedulingGates() != null && !pod.getSpec().getSchedulingGates().isEmpty();
    }
}
