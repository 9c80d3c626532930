package dev.skiff.kubelet.server;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options of one container log read, as upstream's {@code PodLogOptions} query parameters.
 *
 * @param follow keep streaming new lines until the container ends or the client leaves
 * @param previous read the last terminated instance of the container instead of the current one
 * @param tailLines only the last this many lines of the file (empty: all)
 * @param since only entries at or after this time (from {@code sinceSeconds} or {@code sinceTime})
 * @param timestamps prefix each entry with its RFC 3339 timestamp
 * @param limitBytes stop after this many bytes of output (empty: no limit)
 */
public record LogOptions(boolean follow, boolean previous, OptionalLong tailLines, Optional<Instant> since,
    boolean timestamps, OptionalLong limitBytes) {

  /** Reads the options from a query (first value of each parameter); a malformed value is an {@link IllegalArgumentException}. */
  public static LogOptions parse(Map<String, String> query, Instant now) {
    Optional<Instant> since = Optional.empty();
    String sinceSeconds = query.get("sinceSeconds");
    String sinceTime = query.get("sinceTime");
    if (sinceSeconds != null && sinceTime != null) {
      throw new IllegalArgumentException("at most one of sinceTime or sinceSeconds may be specified");
    }
    if (sinceSeconds != null) {
      long s = positive("sinceSeconds", sinceSeconds);
      since = Optional.of(now.minusSeconds(s));
    } else if (sinceTime != null) {
      try {
        since = Optional.of(Instant.parse(sinceTime));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("sinceTime: not an RFC 3339 time: " + sinceTime);
      }
    }
    String tail = query.get("tailLines");
    String limit = query.get("limitBytes");
    return new LogOptions(flag(query.get("follow")), flag(query.get("previous")),
        tail == null ? OptionalLong.empty() : OptionalLong.of(nonNegative("tailLines", tail)),
        since, flag(query.get("timestamps")),
        limit == null ? OptionalLong.empty() : OptionalLong.of(positive("limitBytes", limit)));
  }

  private static boolean flag(String v) {
    return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
  }

  private static long nonNegative(String name, String v) {
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a number: " + v);
    }
    if (n < 0) {
      throw new IllegalArgumentException(name + ": must be greater than or equal to 0");
    }
    return n;
  }

  private static long positive(String name, String v) {
    long n = nonNegative(name, v);
    if (n == 0) {
      throw new IllegalArgumentException(name + ": must be greater than 0");
    }
    return n;
  }
}
