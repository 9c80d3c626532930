package dev.skiff.kubelet.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's log file in the CRI format ({@code <RFC3339Nano> <stream> <P|F> <text>}, one
 * entry a line, P marking a partial line that the next entry continues) and writes the text as
 * {@code kubectl logs} shows it, applying {@link LogOptions}. Upstream: kuberuntime/logs.
 *
 * <p>In follow mode the file is tailed (polled every {@link #POLL}) until {@code running} says the
 * container has ended and nothing more was written, or the output fails (the client left).
 * Not thread-safe; one reader per request.
 */
public final class CriLogReader {

  /** How often a followed file is checked for growth. */
  static final Duration POLL = Duration.ofMillis(100);
  /** How many idle polls pass between two questions to the runtime whether the container still runs. */
  private static final int RUNNING_CHECK_EVERY = 10;
  /** Upstream's output timestamp format: RFC 3339 with nanoseconds always nine digits. */
  private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")
      .withZone(ZoneOffset.UTC);

  private final Path file;
  private final LogOptions options;
  private final BooleanSupplier running;
  private long written;

  public CriLogReader(Path file, LogOptions options, BooleanSupplier running) {
    this.file = Objects.requireNonNull(file, "file");
    this.options = Objects.requireNonNull(options, "options");
    this.running = Objects.requireNonNull(running, "running");
  }

  /** Copies the log to {@code out}, flushing after each batch of entries; returns at the end (see class doc). */
  public void copyTo(OutputStream out) throws IOException, InterruptedException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long start = options.tailLines().isPresent() ? tailStart(ch, options.tailLines().getAsLong()) : 0;
      ch.position(start);
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      ByteArrayLine line = new ByteArrayLine();
      boolean ended = false;
      long idlePolls = 0;
      while (true) {
        buf.clear();
        int n = ch.read(buf);
        if (n > 0) {
          buf.flip();
          while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b == '\n') {
              if (!emit(line.toString(), out)) {
                out.flush();
                return;
              }
              line.reset();
            } else {
              line.add(b);
            }
          }
          out.flush();
          continue;
        }
        if (!options.follow() || ended) {
          out.flush();
          return;
        }
        // one more read after the container ended catches what it wrote last; the runtime is
        // asked about once a second, the file every poll
        if (++idlePolls % RUNNING_CHECK_EVERY == 0 || idlePolls == 1) {
          ended = !running.getAsBoolean();
        }
        if (!ended) {
          Thread.sleep(POLL);
        }
      }
    }
  }

  /** The offset where the last {@code lines} lines of the file begin. */
  private static long tailStart(FileChannel ch, long lines) throws IOException {
    if (lines == 0) {
      return ch.size();
    }
    ArrayDeque<Long> starts = new ArrayDeque<>();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = 0;
    long lineStart = 0;
    ch.position(0);
    while (true) {
      buf.clear();
      int n = ch.read(buf);
      if (n <= 0) {
        break;
      }
      buf.flip();
      for (int i = 0; i < n; i++) {
        if (buf.get(i) == '\n') {
          starts.addLast(lineStart);
          if (starts.size() > lines) {
            starts.removeFirst();
          }
          lineStart = pos + i + 1;
        }
      }
      pos += n;
    }
    return starts.isEmpty() ? 0 : starts.peekFirst();
  }

  /** Writes one CRI entry; false once the byte limit is reached. */
  private boolean emit(String entry, OutputStream out) throws IOException {
    int s1 = entry.indexOf(' ');
    int s2 = s1 < 0 ? -1 : entry.indexOf(' ', s1 + 1);
    if (s2 < 0) {
      return true; // not a CRI entry: upstream skips it too
    }
    int s3 = entry.indexOf(' ', s2 + 1);
    String tag = s3 < 0 ? entry.substring(s2 + 1) : entry.substring(s2 + 1, s3);
    String text = s3 < 0 ? "" : entry.substring(s3 + 1);
    Instant ts;
    try {
      ts = Instant.parse(entry.substring(0, s1));
    } catch (DateTimeParseException e) {
      return true;
    }
    if (options.since().isPresent() && ts.isBefore(options.since().get())) {
      return true;
    }
    StringBuilder sb = new StringBuilder();
    if (options.timestamps()) {
      sb.append(OUT.format(ts)).append(' ');
    }
    sb.append(text);
    if (!tag.startsWith("P")) {
      sb.append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (options.limitBytes().isPresent()) {
      long left = options.limitBytes().getAsLong() - written;
      if (bytes.length >= left) {
        out.write(bytes, 0, (int) left);
        written += left;
        return false;
      }
    }
    out.write(bytes);
    written += bytes.length;
    return true;
  }

  /** A growable byte buffer for one line, decoded as UTF-8 only when complete. */
  private static final class ByteArrayLine {
    private byte[] bytes = new byte[256];
    private int size;

    void add(byte b) {
      if (size == bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, size * 2);
      }
      bytes[size++] = b;
    }

    void reset() {
      size = 0;
    }

    @Override
    public String toString() {
      return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }
  }
}
