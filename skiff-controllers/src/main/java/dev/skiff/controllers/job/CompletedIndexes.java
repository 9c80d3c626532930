package dev.skiff.controllers.job;

import java.util.BitSet;
import java.util.Objects;

/**
 * The completed (or failed) indexes of an Indexed Job in upstream's compressed text form,
 * {@code "1,3-5,7"}: ascending, any run of two or more consecutive indexes written as a range,
 * as upstream's {@code orderedIntervals.String()}. Immutable.
 */
public record CompletedIndexes(BitSet indexes) {
  public CompletedIndexes {
    indexes = (BitSet) Objects.requireNonNull(indexes, "indexes").clone();
  }

  /** Parses {@code text}, ignoring indexes at or above {@code completions} and malformed parts, as upstream. */
  public static CompletedIndexes parse(String text, int completions) {
    BitSet set = new BitSet();
    if (text != null && !text.isBlank()) {
      for (String part : text.split(",")) {
        String[] bounds = part.trim().split("-", 2);
        try {
          int lo = Integer.parseInt(bounds[0].trim());
          int hi = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : lo;
          if (lo >= 0 && lo <= hi) {
            set.set(lo, Math.min(hi, completions - 1) + 1);
          }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
          // upstream skips what it cannot read
        }
      }
    }
    return new CompletedIndexes(set);
  }

  public boolean contains(int index) {
    return indexes.get(index);
  }

  public int count() {
    return indexes.cardinality();
  }

  public CompletedIndexes with(int index) {
    BitSet set = (BitSet) indexes.clone();
    set.set(index);
    return new CompletedIndexes(set);
  }

  /** The compressed form; empty when no index is set. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    int lo = indexes.nextSetBit(0);
    while (lo >= 0) {
      int hi = indexes.nextClearBit(lo) - 1;
      if (!out.isEmpty()) {
        out.append(',');
      }
      out.append(lo);
      if (hi > lo) {
        out.append('-').append(hi);
      }
      lo = indexes.nextSetBit(hi + 1);
    }
    return out.toString();
  }
}
