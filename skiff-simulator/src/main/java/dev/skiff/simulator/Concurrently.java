package dev.skiff.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/** Runs one blocking action per item on virtual threads, at most {@code limit} at once, and waits for all. */
final class Concurrently {

    private Concurrently() {
    }

    /** @throws IllegalStateException with the first failure's cause, after every action ended */
    static <T> void run(Collection<T> items, int limit, Consumer<T> action) {
        Semaphore permits = new Semaphore(limit);
        List<Future<?>> futures = new ArrayList<>(items.size());
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                permits.acquire();
                futures.add(exec.submit(() -> {
                    try {
                        action.accept(item);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
