package dev.skiff.bench;

/** A latency distribution's summary, in milliseconds. */
public record Latency(int samples, double p50Millis, double p99Millis, double maxMillis) {
  public static Latency of(LatencyRecorder r) {
    return new Latency(r.count(), r.percentileMillis(50), r.percentileMillis(99),
        r.percentileMillis(100));
  }
}
