package dev.skiff.apiserver.http;

import dev.skiff.apiserver.json.JsonBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.FutureCallback;

/**
 * Writes one HTTP watch stream's frames in batches, without waiting for each batch to go out.
 *
 * <p>Frames collect in a buffer; {@link #flush} hands the buffer to Jetty as one write (one HTTP/2
 * DATA frame) and returns at once, so the watch's thread goes back to its queue instead of parking
 * until the connection's flusher (often busy with other watches' frames) has sent it. At most one
 * write is in flight: the next flush first waits for it, and frames that arrive meanwhile go out
 * together in that next write. A client that stops reading (its HTTP/2 window closed) holds up only
 * its own watch; after {@code stallTimeout} the write fails and the watch ends.
 *
 * <p>For the one thread that serves the watch.
 */
final class WatchStreamWriter {
  /** Frames are handed over once this many bytes wait, even within one poll's events. */
  static final int FLUSH_BYTES = 32 * 1024;

  private final Content.Sink sink;
  private final Duration stallTimeout;
  private final JsonBuffer pending = new JsonBuffer(4096);
  private FutureCallback inFlight;

  WatchStreamWriter(Content.Sink sink, Duration stallTimeout) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
  }

  /** Queues one frame and its newline. */
  void send(byte[] frame) throws IOException {
    pending.write(frame);
    pending.write((byte) '\n');
    if (pending.size() >= FLUSH_BYTES) {
      flush();
    }
  }

  /** Hands the queued frames to Jetty in one write, after the previous write has completed. */
  void flush() throws IOException {
    if (pending.size() == 0) {
      return;
    }
    awaitInFlight();
    // the buffer is reused while Jetty sends: the write gets its own copy
    ByteBuffer batch = ByteBuffer.wrap(Arrays.copyOf(pending.array(), pending.size()));
    pending.truncate(0);
    FutureCallback written = new FutureCallback();
    inFlight = written;
    sink.write(false, batch, written);
  }

  /** Waits for the write in flight, if any: before the next write and before the stream ends. */
  void awaitInFlight() throws IOException {
    FutureCallback w = inFlight;
    if (w == null) {
      return;
    }
    try {
      w.get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
      inFlight = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing a watch stream", e);
    } catch (ExecutionException e) {
      throw new IOException("watch stream write failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("watch stream client stopped reading for " + stallTimeout, e);
    }
  }
}
