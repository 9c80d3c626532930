package dev.skiff.kubelet.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The restart back-off of crashing containers (upstream's flowcontrol.Backoff as kuberuntime uses
 * it): the first restart is immediate; each later one waits a delay, counted from the container's
 * finish, that starts at {@code initial} and doubles up to {@code max}. A container that ran
 * longer than twice the maximum without crashing starts afresh. Thread-safe.
 */
public final class CrashBackOff {

  private record Entry(Duration delay, Instant lastUpdate) {}

  private final Duration initial;
  private final Duration max;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public CrashBackOff(Duration initial, Duration max) {
    this.initial = Objects.requireNonNull(initial, "initial");
    this.max = Objects.requireNonNull(max, "max");
  }

  /** The time left before the container {@code key}, finished at {@code finishedAt}, may restart; zero if it may now. */
  public Duration remaining(String key, Instant finishedAt, Instant now) {
    Entry e = entries.get(key);
    if (e == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, finishedAt.plus(e.delay()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The current delay of {@code key} (for the CrashLoopBackOff message), or the initial one. */
  public Duration delay(String key) {
    Entry e = entries.get(key);
    return e == null ? initial : e.delay();
  }

  /** Records a restart of {@code key} now: the next one waits longer. */
  public void restarted(String key, Instant now) {
    entries.compute(key, (k, e) -> {
      if (e == null || Duration.between(e.lastUpdate(), now).compareTo(max.multipliedBy(2)) > 0) {
        return new Entry(initial, now);
      }
      Duration doubled = e.delay().multipliedBy(2);
      return new Entry(doubled.compareTo(max) > 0 ? max : doubled, now);
    });
  }

  /** Forgets every container of the pod whose keys start with {@code prefix}. */
  public void forget(String prefix) {
    entries.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
