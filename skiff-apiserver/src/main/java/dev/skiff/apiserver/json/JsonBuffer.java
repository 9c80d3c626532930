package dev.skiff.apiserver.json;

import java.util.Arrays;

/**
 * A growable byte buffer for building large JSON bodies (lists) without the copies and locks of
 * {@link java.io.ByteArrayOutputStream}. Not thread-safe: one request builds one buffer.
 */
public final class JsonBuffer {
  private byte[] bytes;
  private int size;

  public JsonBuffer(int initialCapacity) {
    bytes = new byte[Math.max(initialCapacity, 64)];
  }

  public int size() {
    return size;
  }

  /** The backing array; only its first {@link #size()} bytes are the content. */
  public byte[] array() {
    return bytes;
  }

  public void write(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  /** Appends a string known to be ASCII (numbers, fixed names). */
  public void writeAscii(String s) {
    int len = s.length();
    ensure(len);
    for (int k = 0; k < len; k++) {
      bytes[size++] = (byte) s.charAt(k);
    }
  }

  /** Drops everything after the first {@code newSize} bytes. */
  public void truncate(int newSize) {
    size = newSize;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
