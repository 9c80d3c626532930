package dev.skiff.controllers.base;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-item exponential back-off, as upstream's {@code ItemExponentialFailureRateLimiter}: the
 * n-th consecutive failure of one item waits {@code base * 2^(n-1)}, capped at {@code max}.
 * {@link #forget} resets an item after a success. Thread-safe.
 */
public final class ItemExponentialBackoff {
  /** Upstream's default controller rate limiter: 5 ms doubling up to 1000 s. */
  public static ItemExponentialBackoff controllerDefault() {
    return new ItemExponentialBackoff(Duration.ofMillis(5), Duration.ofSeconds(1000));
  }

  private final Duration base;
  private final Duration max;
  private final Map<Object, Integer> failures = new HashMap<>();

  public ItemExponentialBackoff(Duration base, Duration max) {
    this.base = Objects.requireNonNull(base, "base");
    this.max = Objects.requireNonNull(max, "max");
  }

  /** Records one more failure of {@code item} and returns how long to wait before retrying it. */
  public synchronized Duration when(Object item) {
    int n = failures.merge(item, 1, Integer::sum) - 1;
    // 2^n overflows long nanos well before n = 63; beyond the cap the answer is the cap anyway
    if (n >= 40) {
      return max;
    }
    long nanos = base.toNanos() << n;
    return nanos < 0 || nanos > max.toNanos() ? max : Duration.ofNanos(nanos);
  }

  /** How many consecutive failures {@code item} has had. */
  public synchronized int retries(Object item) {
    return failures.getOrDefault(item, 0);
  }

  /** Forgets {@code item}'s failures, after it succeeded or was dropped. */
  public synchronized void forget(Object item) {
    failures.remove(item);
  }
}
