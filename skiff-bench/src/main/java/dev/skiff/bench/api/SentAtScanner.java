package dev.skiff.bench.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads a watch stream's newline-delimited frames and finds in each the {@code "sentAt":"N"} stamp a
 * benchmark write carries, scanning bytes: no decoding to characters, no String or regex per line,
 * so the benchmark's own JVM spends its CPU on receiving the events rather than on parsing them.
 * Every frame is still read to its end and searched. One reader per stream; not thread-safe.
 */
final class SentAtScanner {
  /** What a frame carried. */
  interface Stamps {
    /** Called once per frame with its stamp, or -1 when the frame has none. */
    void frame(long sentAt);
  }

  private static final byte[] MARKER = "\"sentAt\":\"".getBytes(StandardCharsets.US_ASCII);

  private final InputStream in;
  private final byte[] buffer = new byte[16 * 1024];
  /** Bytes of the current, unfinished frame seen so far (frames may span reads). */
  private int matched;
  private long value = -1;
  private boolean inDigits;

  SentAtScanner(InputStream in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /**
   * Reads until {@code frames} frames with a stamp were seen or the stream ends.
   *
   * @return how many stamped frames were seen
   */
  int scan(int frames, Stamps stamps) throws IOException {
    int seen = 0;
    int n;
    while (seen < frames && (n = in.read(buffer)) > 0) {
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (b == '\n') {
          stamps.frame(value);
          if (value >= 0) {
            seen++;
          }
          value = -1;
          matched = 0;
          inDigits = false;
        } else if (inDigits) {
          if (b >= '0' && b <= '9') {
            value = value * 10 + (b - '0');
          } else {
            inDigits = false;
          }
        } else if (value < 0) {
          // the marker has no repeated prefix, so a mismatch restarts at this byte
          matched = b == MARKER[matched] ? matched + 1 : b == MARKER[0] ? 1 : 0;
          if (matched == MARKER.length) {
            value = 0;
            inDigits = true;
            matched = 0;
          }
        }
      }
    }
    return seen;
  }
}
