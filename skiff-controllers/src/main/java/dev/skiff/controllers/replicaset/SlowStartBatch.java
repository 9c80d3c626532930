package dev.skiff.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Upstream's {@code slowStartBatch}: runs {@code count} calls in batches of 1, 2, 4, ... in
 * parallel, stopping after the first batch with a failure, so a quota or admission error costs
 * one call instead of hundreds.
 */
public final class SlowStartBatch {
  /** How many calls succeeded, and the first failure (null when all succeeded). */
  public record Outcome(int successes, Exception firstError) {}

  /** One call; throwing counts as a failure. */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  private SlowStartBatch() {}

  public static Outcome run(int count, int initialBatchSize, Call call) throws InterruptedException {
    int remaining = count;
    int successes = 0;
    int batch = Math.min(remaining, initialBatchSize);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      while (batch > 0) {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          futures.add(pool.submit(() -> {
            call.run();
            return null;
          }));
        }
        Exception first = null;
        int failures = 0;
        for (Future<?> f : futures) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            failures++;
            if (first == null) {
              first = e.getCause() instanceof Exception ex ? ex : e;
            }
          }
        }
        successes += batch - failures;
        if (failures > 0) {
          return new Outcome(successes, first);
        }
        remaining -= batch;
        batch = Math.min(2 * batch, remaining);
      }
    }
    return new Outcome(successes, null);
  }
}
