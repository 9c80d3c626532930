package dev.skiff.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * What to watch with {@link Store#watch}.
 *
 * @param key first key of the watched range; with an empty {@code end}, the single key watched
 * @param end end of the range (exclusive); {@link Bytes#EMPTY} for a single key
 * @param startRevision the first revision to deliver (inclusive, as in etcd); 0 means "from the
 *     next write on". To watch after a list read at revision R, start at R + 1.
 * @param prevKv whether events carry the key's previous version
 * @param progressInterval when not zero, an idle watch receives a {@link WatchResponse.Progress}
 *     about this often; zero means progress only on {@link Watch#requestProgress()}
 * @param maxPendingEvents the most events that may wait for the reader; a reader that falls
 *     further behind is ended with {@link WatchResponse.Reason#OVERFLOW}
 */
public record WatchRequest(
    Bytes key,
    Bytes end,
    long startRevision,
    boolean prevKv,
    Duration progressInterval,
    int maxPendingEvents) {

  public static final int DEFAULT_MAX_PENDING_EVENTS = 10_000;

  public WatchRequest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(progressInterval, "progressInterval");
    if (startRevision < 0) {
      throw new IllegalArgumentException("startRevision must be >= 0, got " + startRevision);
    }
    if (progressInterval.isNegative()) {
      throw new IllegalArgumentException("progressInterval must not be negative");
    }
    if (maxPendingEvents < 1) {
      throw new IllegalArgumentException("maxPendingEvents must be >= 1, got " + maxPendingEvents);
    }
  }

  /** Every key under {@code prefix}, from {@code startRevision}, with previous values. */
  public static WatchRequest prefix(Bytes prefix, long startRevision) {
    return new WatchRequest(
        prefix, prefix.prefixEnd(), startRevision, true, Duration.ZERO, DEFAULT_MAX_PENDING_EVENTS);
  }

  /** One key, from {@code startRevision}, with previous values. */
  public static WatchRequest single(Bytes key, long startRevision) {
    return new WatchRequest(
        key, Bytes.EMPTY, startRevision, true, Duration.ZERO, DEFAULT_MAX_PENDING_EVENTS);
  }

  public WatchRequest withPrevKv(boolean want) {
    return new WatchRequest(key, end, startRevision, want, progressInterval, maxPendingEvents);
  }

  public WatchRequest withProgressInterval(Duration interval) {
    return new WatchRequest(key, end, startRevision, prevKv, interval, maxPendingEvents);
  }

  public WatchRequest withMaxPendingEvents(int max) {
    return new WatchRequest(key, end, startRevision, prevKv, progressInterval, max);
  }

  public boolean isSingleKey() {
    return end.isEmpty() && !key.isEmpty();
  }

  /** Whether {@code candidate} lies in the watched range. */
  public boolean contains(Bytes candidate) {
    if (isSingleKey()) {
      return key.equals(candidate);
    }
    return candidate.compareTo(key) >= 0 && (end.isEmpty() || candidate.compareTo(end) < 0);
  }
}
