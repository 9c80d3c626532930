package dev.skiff.scheduler;

import dev.skiff.scheduler.queue.QueuedPodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the scheduler: one virtual thread pops pods and schedules them one at a time (upstream's
 * single scheduling goroutine), another flushes the queue (backoffQ every second, the
 * unschedulable leftovers every 30 seconds). Started by the constructor, stopped by
 * {@link #close()}, which waits for both threads.
 */
public final class SchedulingLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);
    static final Duration BACKOFF_FLUSH_PERIOD = Duration.ofSeconds(1);
    static final Duration UNSCHEDULABLE_FLUSH_PERIOD = Duration.ofSeconds(30);

    private final SchedulingQueue queue;
    private final Thread scheduling;
    private final Thread flushing;
    private volatile boolean running = true;

    public SchedulingLoop(Scheduler scheduler, SchedulingQueue queue) {
        Objects.requireNonNull(scheduler, "scheduler");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.scheduling = Thread.ofVirtual().name("scheduler-cycle").start(() -> scheduleLoop(scheduler));
        this.flushing = Thread.ofVirtual().name("scheduler-queue-flush").start(this::flushLoop);
    }

    private void scheduleLoop(Scheduler scheduler) {
        while (running) {
            try {
                Optional<QueuedPodInfo> next = queue.pop(Duration.ofSeconds(1));
                if (next.isPresent()) {
                    scheduler.scheduleOne(next.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a bug in one cycle must not stop scheduling for everyone
                log.error("scheduling cycle failed", e);
            }
        }
    }

    private void flushLoop() {
        long ticks = 0;
        long perUnschedulableFlush = UNSCHEDULABLE_FLUSH_PERIOD.toMillis() / BACKOFF_FLUSH_PERIOD.toMillis();
        while (running) {
            try {
                Thread.sleep(BACKOFF_FLUSH_PERIOD);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.flushBackoffCompleted();
            if (++ticks % perUnschedulableFlush == 0) {
                queue.flushUnschedulableLeftover();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        queue.close();
        flushing.interrupt();
        scheduling.join();
        flushing.join();
    }
}
