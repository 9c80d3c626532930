package dev.skiff.bench.storage;

import java.util.Arrays;

/**
 * Collects latency samples (nanoseconds) from many threads into a fixed array and reports
 * percentiles. Samples past the capacity are counted but not kept, so memory stays bounded.
 */
final class LatencyRecorder {
  private final long[] samples;
  private final java.util.concurrent.atomic.AtomicInteger next =
      new java.util.concurrent.atomic.AtomicInteger();

  LatencyRecorder(int capacity) {
    samples = new long[capacity];
  }

  void record(long nanos) {
    int i = next.getAndIncrement();
    if (i < samples.length) {
      samples[i] = nanos;
    }
  }

  int count() {
    return Math.min(next.get(), samples.length);
  }

  /** The {@code p}-th percentile (0-100) in milliseconds; NaN with no samples. */
  double percentileMillis(double p) {
    int n = count();
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * n) - 1;
    return sorted[Math.clamp(index, 0, n - 1)] / 1e6;
  }
}
