package dev.skiff.storage;

import java.util.Objects;

/**
 * What to read with {@link Store#range}.
 *
 * <p>The range is {@code [key, end)}; an {@code end} of {@link Bytes#EMPTY} with a non-empty key
 * means the single key {@code key}. To continue a paged list, ask again with
 * {@code key = last.key().successor()} and {@code revision} = the first page's revision, as the
 * Kubernetes API server does with its continue tokens.
 *
 * @param key first key of the range (inclusive)
 * @param end end of the range (exclusive); {@link Bytes#EMPTY} for a single key
 * @param revision the revision to read at; 0 reads at the current revision
 * @param limit the most keys to return; 0 means no limit
 * @param countOnly return only the count, no key-values
 */
public record RangeRequest(Bytes key, Bytes end, long revision, int limit, boolean countOnly) {
  public RangeRequest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(end, "end");
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be >= 0, got " + revision);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }

  /** Every key that starts with {@code prefix}, at the current revision. */
  public static RangeRequest prefix(Bytes prefix) {
    return new RangeRequest(prefix, prefix.prefixEnd(), 0, 0, false);
  }

  /** One key, at the current revision. */
  public static RangeRequest single(Bytes key) {
    return new RangeRequest(key, Bytes.EMPTY, 0, 0, false);
  }

  public boolean isSingleKey() {
    return end.isEmpty() && !key.isEmpty();
  }

  public RangeRequest atRevision(long rev) {
    return new RangeRequest(key, end, rev, limit, countOnly);
  }

  public RangeRequest withLimit(int max) {
    return new RangeRequest(key, end, revision, max, countOnly);
  }

  public RangeRequest startingAt(Bytes from) {
    return new RangeRequest(from, end, revision, limit, countOnly);
  }

  public RangeRequest counting() {
    return new RangeRequest(key, end, revision, limit, true);
  }

  /** Whether {@code candidate} lies in this range. */
  public boolean contains(Bytes candidate) {
    if (isSingleKey()) {
      return key.equals(candidate);
    }
    return candidate.compareTo(key) >= 0 && (end.isEmpty() || candidate.compareTo(end) < 0);
  }
}
