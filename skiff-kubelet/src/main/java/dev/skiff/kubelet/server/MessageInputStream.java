package dev.skiff.kubelet.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * WebSocket messages read as one byte stream, as a tunnel carries a protocol's bytes in binary
 * messages whose boundaries mean nothing. {@link #offer} blocks while {@link #CAPACITY} messages
 * wait (back-pressure towards the sender); {@link #end()} makes reads return -1 after the rest.
 */
final class MessageInputStream extends InputStream {

  private static final int CAPACITY = 64;
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> messages = new ArrayBlockingQueue<>(CAPACITY);
  private byte[] current = new byte[0];
  private int pos;
  private boolean eof;

  void offer(byte[] message) throws IOException {
    if (message.length == 0) {
      return;
    }
    try {
      messages.put(message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** No more messages will come. */
  void end() {
    // never blocks the closing thread: a full queue means the reader is busy and will drain it
    Thread.ofVirtual().start(() -> {
      try {
        messages.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
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
        current = messages.take();
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
