package dev.skiff.apiserver.registry.batch;

/**
 * Upstream's index-interval text ({@code "1,3-5,7"}) as Job fields carry it (succeededIndexes,
 * completedIndexes, failedIndexes), checked strictly as upstream's {@code validateIndexesFormat}:
 * decimal indexes below {@code completions}, strictly increasing, ranges of two parts.
 */
final class IndexIntervals {
  private IndexIntervals() {}

  /**
   * The number of indexes {@code text} names.
   *
   * @throws IllegalArgumentException with upstream's wording when the text is malformed
   */
  static long count(String text, int completions) {
    if (text.isEmpty()) {
      return 0;
    }
    long total = 0;
    Long last = null;
    for (String interval : text.split(",", -1)) {
      String[] bounds = interval.split("-", -1);
      if (bounds.length > 2) {
        throw new IllegalArgumentException("the fragment \"" + interval
            + "\" violates the requirement that an index interval can have at most two parts separated by '-'");
      }
      long lo = index(bounds[0], completions);
      if (last != null && last >= lo) {
        throw new IllegalArgumentException("non-increasing order, previous: " + last + ", current: " + lo);
      }
      last = lo;
      total++;
      if (bounds.length == 2) {
        long hi = index(bounds[1], completions);
        if (last >= hi) {
          throw new IllegalArgumentException("non-increasing order, previous: " + last + ", current: " + hi);
        }
        total += hi - lo;
        last = hi;
      }
    }
    return total;
  }

  private static long index(String text, int completions) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cannot convert string to integer for index: \"" + text + "\"");
    }
    if (value < 0) {
      throw new IllegalArgumentException("cannot convert string to integer for index: \"" + text + "\"");
    }
    if (value >= completions) {
      throw new IllegalArgumentException("too large index: \"" + text + "\"");
    }
    return value;
  }
}
