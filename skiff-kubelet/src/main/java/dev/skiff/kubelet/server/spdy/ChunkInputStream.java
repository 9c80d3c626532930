package dev.skiff.kubelet.server.spdy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Chunks of bytes (WebSocket messages, SPDY DATA frames) read as one byte stream, as a tunnel or a
 * stream carries a protocol's bytes in pieces whose boundaries mean nothing. {@link #offer} blocks
 * while {@code capacity} chunks wait (back-pressure towards the producer); {@link #end()} makes
 * reads return -1 after the rest. One producer thread, one reader thread.
 */
public final class ChunkInputStream extends InputStream {

  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> chunks;
  private byte[] current = new byte[0];
  private int pos;
  private boolean eof;

  /** A stream holding at most {@code capacity} unread chunks. */
  public ChunkInputStream(int capacity) {
    this.chunks = new LinkedBlockingQueue<>(capacity);
  }

  /** Adds a chunk (empty ones are dropped), waiting while the stream is full. */
  public void offer(byte[] chunk) throws IOException {
    if (chunk.length == 0) {
      return;
    }
    try {
      chunks.put(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** No more chunks will come; never blocks the caller. */
  public void end() {
    if (!chunks.offer(END)) {
      // a full queue means the reader is busy and will drain it
      Thread.ofVirtual().start(() -> {
        try {
          chunks.put(END);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (pos == current.length) {
      if (eof) {
        return -1;
      }
      try {
        current = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      pos = 0;
      eof = current == END;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }
}
