package dev.skiff.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string: the type of every key and value in a {@link Store}.
 *
 * <p>Keys and values may hold any bytes. Ordering is unsigned lexicographic, the order etcd uses
 * for ranges, so a range {@code [start, end)} means the same thing on every implementation.
 *
 * <p>Instances are immutable and thread-safe; {@link #toByteArray()} returns a copy.
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;
  private int hash;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}. */
  public static Bytes copyOf(byte[] bytes) {
    return new Bytes(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /**
   * Wraps {@code bytes} without copying. The caller promises never to change the array again;
   * used on hot paths where the array was just made (a database row, a network buffer).
   */
  public static Bytes wrap(byte[] bytes) {
    return new Bytes(Objects.requireNonNull(bytes, "bytes"));
  }

  public static Bytes of(String utf8) {
    return new Bytes(utf8.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /**
   * The backing array, not a copy. Callers must not change it; for handing bytes to a driver
   * (JDBC, gRPC) without an extra copy.
   */
  public byte[] unsafeArray() {
    return bytes;
  }

  public String toStringUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public boolean startsWith(Bytes prefix) {
    return bytes.length >= prefix.bytes.length
        && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
  }

  public Bytes concat(Bytes other) {
    byte[] out = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
    System.arraycopy(other.bytes, 0, out, bytes.length, other.bytes.length);
    return new Bytes(out);
  }

  /**
   * The smallest key greater than every key that starts with this prefix, as etcd's
   * {@code clientv3.GetPrefixRangeEnd} computes it; {@link #EMPTY} when no such key exists
   * (the prefix is empty or all 0xff), which as a range end means "to the end of the keyspace".
   */
  public Bytes prefixEnd() {
    byte[] end = bytes.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return new Bytes(Arrays.copyOf(end, i + 1));
      }
    }
    return EMPTY;
  }

  /** The key just after this one: this key followed by a zero byte (for continuing a range). */
  public Bytes successor() {
    return new Bytes(Arrays.copyOf(bytes, bytes.length + 1));
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /** UTF-8 text when the bytes are printable, hex otherwise; for logs and test messages. */
  @Override
  public String toString() {
    for (byte b : bytes) {
      if (b < 0x20 || b == 0x7f) {
        return "0x" + HexFormat.of().formatHex(bytes);
      }
    }
    return toStringUtf8();
  }
}
