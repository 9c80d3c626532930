package dev.skiff.scheduler.wiring;

import dev.skiff.scheduler.framework.PodBinder;
import dev.skiff.scheduler.framework.PodInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Upstream's binding cycle, which runs in its own goroutine so that the scheduling thread goes on
 * to the next pod while the API writes this one's binding: {@link #bind} hands the write to a
 * virtual thread and returns at once (the pod is already assumed in the cache, so the next cycle
 * counts it). At most {@code maxInFlight} bindings are outstanding; beyond that {@link #bind}
 * waits, which slows scheduling to the pace the API server can take.
 *
 * <p>Each binding's outcome is kept until {@link #outcome} takes it (the {@code Scheduled} event
 * waits for it, as upstream records that event only after a successful bind). A failed binding
 * goes to the {@link Failure} handler, which undoes the assumption and retries the pod.
 */
final class AsyncBinder implements PodBinder, AutoCloseable {

    /** What to do when a binding the scheduler thought done fails. Runs on the binding's thread. */
    interface Failure {
        void bindingFailed(PodInfo pod, String nodeName, Exception error);
    }

    private static final Logger log = LoggerFactory.getLogger(AsyncBinder.class);

    private final PodBinder direct;
    private final Failure failure;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final Map<String, CompletableFuture<Void>> outcomes = new ConcurrentHashMap<>();

    AsyncBinder(PodBinder direct, int maxInFlight, Failure failure) {
        this.direct = Objects.requireNonNull(direct, "direct");
        this.failure = Objects.requireNonNull(failure, "failure");
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    @Override
    public void bind(PodInfo pod, String nodeName) throws InterruptedException {
        inFlight.acquire();
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        outcomes.put(pod.key(), outcome);
        Thread.ofVirtual().name("scheduler-bind-" + pod.key()).start(() -> {
            try {
                direct.bind(pod, nodeName);
                outcome.complete(null);
            } catch (Exception e) {
                log.debug("binding {} to {} failed: {}", pod.key(), nodeName, e.getMessage());
                outcome.completeExceptionally(e);
                failure.bindingFailed(pod, nodeName, e);
            } finally {
                inFlight.release();
            }
        });
    }

    /**
     * The outcome of the last binding of {@code podKey}, taken out of memory: each binding's outcome
     * is asked for once, by the {@code Scheduled} event that follows a returned {@link #bind}.
     */
    CompletableFuture<Void> outcome(String podKey) {
        CompletableFuture<Void> f = outcomes.remove(podKey);
        return f == null ? CompletableFuture.completedFuture(null) : f;
    }

    /** Waits for the bindings in flight. */
    @Override
    public void close() throws InterruptedException {
        inFlight.acquire(maxInFlight);
        inFlight.release(maxInFlight);
    }
}
