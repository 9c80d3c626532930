package dev.skiff.apiserver.protobuf;

/** Formats nanoseconds as Go's {@code time.Duration.String()} does: "1h2m3.5s", "150ms", "0s". */
final class GoDuration {
  private GoDuration() {}

  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long n = Math.abs(nanos);
    if (n < 1_000) {
      return sign + n + "ns";
    }
    if (n < 1_000_000) {
      return sign + trim(n / 1e3) + "µs";
    }
    if (n < 1_000_000_000) {
      return sign + trim(n / 1e6) + "ms";
    }
    long h = n / 3_600_000_000_000L;
    long m = n / 60_000_000_000L % 60;
    double s = (n % 60_000_000_000L) / 1e9;
    StringBuilder out = new StringBuilder(sign);
    if (h > 0) {
      out.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      out.append(m).append('m');
    }
    return out.append(trim(s)).append('s').toString();
  }

  private static String trim(double v) {
    String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    return s;
  }
}
