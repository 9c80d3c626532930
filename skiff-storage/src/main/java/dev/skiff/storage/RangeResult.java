package dev.skiff.storage;

import java.util.List;

/**
 * What {@link Store#range} read.
 *
 * @param kvs the key-values in key order, at most {@code limit} of them (none when counting)
 * @param revision the revision the range was read at: the store's current revision when the
 *     request asked for 0, else the requested one; page through with this revision
 * @param more whether keys beyond {@code kvs} exist in the range (the limit cut the list)
 * @param count how many keys the whole range holds at that revision, ignoring the limit
 */
public record RangeResult(List<KeyValue> kvs, long revision, boolean more, long count) {
  public RangeResult {
    kvs = List.copyOf(kvs);
  }
}
