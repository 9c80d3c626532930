package dev.skiff.kubelet.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes a POSIX ustar archive: directories, regular files and symbolic links, owned by root, with
 * a fixed modification time so that the same input gives the same bytes (and so the same digest,
 * which matters for image layers).
 *
 * <p>Names are limited to 100 bytes (no prefix field splitting): enough for image layers and OCI
 * layouts. Not thread-safe. {@link #close()} writes the end-of-archive blocks but does not close
 * the underlying stream.
 */
public final class TarArchiveWriter implements AutoCloseable {

  private static final int BLOCK = 512;
  /** 2001-09-09: any constant would do; 0 makes some tools warn. */
  private static final long MTIME = 1_000_000_000L;

  private final OutputStream out;
  private boolean closed;

  public TarArchiveWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** A directory entry; {@code name} without a trailing slash. */
  public void directory(String name, int mode) throws IOException {
    header(name + "/", mode, 0, '5', "");
  }

  /** A regular file with {@code content}. */
  public void file(String name, int mode, byte[] content) throws IOException {
    header(name, mode, content.length, '0', "");
    out.write(content);
    pad(content.length);
  }

  /** A symbolic link at {@code name} pointing to {@code target}. */
  public void symlink(String name, String target) throws IOException {
    header(name, 0777, 0, '2', target);
  }

  private void header(String name, int mode, long size, char type, String linkName) throws IOException {
    if (closed) {
      throw new IllegalStateException("archive already closed");
    }
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, MTIME);
    h[156] = (byte) type;
    put(h, 157, 100, linkName);
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    put(h, 265, 32, "root");
    put(h, 297, 32, "root");
    // the checksum is computed with its own field as eight spaces
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    out.write(h);
  }

  private static void put(byte[] header, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > length) {
      throw new IllegalArgumentException("tar field too long (" + bytes.length + " > " + length + "): " + value);
    }
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  /** An octal number, zero-padded, NUL-terminated, filling {@code length} bytes. */
  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException("value too large for a tar field: " + value);
    }
    put(header, offset, length, "0".repeat(length - 1 - digits.length()) + digits);
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      out.write(new byte[2 * BLOCK]);
      out.flush();
      closed = true;
    }
  }
}
