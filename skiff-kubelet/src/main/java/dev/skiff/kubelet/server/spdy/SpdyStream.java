package dev.skiff.kubelet.server.spdy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * One stream of a {@link SpdyConnection}: the headers it was opened with, its incoming bytes as an
 * {@link InputStream} (ending at the peer's FIN or reset), and writes as DATA frames.
 * Reads are for one thread; writes may come from any.
 */
public final class SpdyStream {

  private static final byte[] END = new byte[0];

  private final SpdyConnection connection;
  private final int id;
  private final Map<String, String> headers;
  /** Unbounded: the session's reading thread must never wait on one stream's reader. */
  private final ChunkInputStream incoming = new ChunkInputStream(Integer.MAX_VALUE);
  private volatile boolean ended;
  private volatile boolean writeClosed;
  /** When set, incoming data goes here directly (on the reading thread) instead of to {@link #input()}. */
  private final java.util.function.Consumer<byte[]> onData;

  SpdyStream(SpdyConnection connection, int id, Map<String, String> headers) {
    this(connection, id, headers, null);
  }

  SpdyStream(SpdyConnection connection, int id, Map<String, String> headers,
      java.util.function.Consumer<byte[]> onData) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.id = id;
    this.headers = Map.copyOf(headers);
    this.onData = onData;
  }

  public int id() {
    return id;
  }

  /** A header of the SYN_STREAM (names are lower case in SPDY/3), or the empty string. */
  public String header(String name) {
    return headers.getOrDefault(name, "");
  }

  void deliver(byte[] data, boolean fin) {
    if (ended) {
      return;
    }
    if (onData != null) {
      if (data.length > 0) {
        onData.accept(data);
      }
      if (fin) {
        ended = true;
        onData.accept(END);
      }
      return;
    }
    try {
      incoming.offer(data);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // not with an unbounded queue
    }
    if (fin) {
      ended = true;
      incoming.end();
    }
  }

  /** Accepts the stream (SYN_REPLY). */
  public void reply() throws IOException {
    connection.writeReply(id);
  }

  /** Writes bytes to the peer. */
  public void write(byte[] data, int off, int len) throws IOException {
    if (len > 0) {
      connection.writeData(id, data, off, len, false);
    }
  }

  /** Ends this side's direction (an empty DATA frame with FIN); idempotent. */
  public void closeWrite() throws IOException {
    if (!writeClosed) {
      writeClosed = true;
      connection.writeData(id, new byte[0], 0, 0, true);
    }
    if (ended) {
      connection.forget(id);
    }
  }

  /** Resets the stream (RST_STREAM CANCEL). */
  public void reset() throws IOException {
    deliver(END, true);
    connection.writeReset(id, SpdyConnection.CANCEL);
  }

  /** The bytes the peer sends, until its FIN (for streams opened by the peer). */
  public InputStream input() {
    return incoming;
  }
}
