package dev.skiff.scheduler.wiring;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API writes that the scheduling thread hands off and never waits for: a bounded queue drained by a
 * few virtual threads. When the queue is full a write is dropped and counted, as upstream's event
 * broadcaster drops events past its queue ({@code maxQueuedEvents}, 1,000, with
 * {@code DropIfChannelFull}): a scheduler that outruns the API loses some events rather than
 * memory or scheduling time. A failed write is logged and not retried.
 *
 * <p>Thread-safe. {@link #close} stops the workers after the writes already queued (at most 5 s).
 */
final class WriteQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final int capacity;
    private final BlockingQueue<Runnable> writes;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param name names the workers ({@code name-0}, ...) and the log lines
     * @param workers writes in flight at once
     * @param capacity writes waiting at most; more are dropped
     */
    WriteQueue(String name, int workers, int capacity) {
        this.name = Objects.requireNonNull(name, "name");
        this.capacity = capacity;
        this.writes = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofVirtual().name(name + "-" + i).start(this::work));
        }
    }

    /** Queues {@code write}; returns false (and counts it) when the queue is full. */
    boolean offer(Runnable write) {
        if (writes.offer(write)) {
            return true;
        }
        // one line per 10 s, not per drop: thousands of pods at once would flood the log
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if ((last == 0 || now - last > DROP_LOG_INTERVAL_NANOS) && lastDropLog.compareAndSet(last, now)) {
            log.warn("{} queue full ({} writes); {} writes dropped so far", name, capacity, total);
        }
        return false;
    }

    /** Writes dropped so far because the queue was full. */
    long dropped() {
        return dropped.get();
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
                log.debug("{} write failed: {}", name, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{} write failed", name, e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : workers) {
            if (!t.join(Duration.ofSeconds(5))) {
                t.interrupt();
            }
        }
    }
}
