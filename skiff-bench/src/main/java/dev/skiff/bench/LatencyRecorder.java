package dev.skiff.bench;

import java.util.Arrays;

/**
 * Collects latency samples (nanoseconds) from many threads into a fixed array and reports
 * percentiles. Samples past the capacity are counted but not kept, so memory stays bounded.
 */
public final class LatencyRecorder {
  private final long[] samples;
  private final java.util.concurrent.atomic.AtomicInteger next =
      new java.util.concurrent.atomic.AtomicInteger();

  public LatencyRecorder(int capacity) {
    samples = new long[capacity];
  }

  public void record(long nanos) {
    int i = next.getAndIncrement();
    if (i < samples.length) {
      samples[i] = nanos;
    }
  }

  public int count() {
    return Math.min(next.get(), samples.length);
  }

  /** The {@code p}-th percentile (0-100) in milliseconds; NaN with no samples. */
  public double percentileMillis(double p) {
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
