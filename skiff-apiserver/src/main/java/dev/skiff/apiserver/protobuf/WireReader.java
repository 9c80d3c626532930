package dev.skiff.apiserver.protobuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads protobuf wire values from a byte range; one instance per (sub)message, not thread-safe. */
final class WireReader {
  private final byte[] b;
  private int pos;
  private final int end;

  WireReader(byte[] b, int from, int end) {
    if (from < 0 || end > b.length || from > end) {
      throw new IllegalArgumentException("bad range " + from + ".." + end);
    }
    this.b = b;
    this.pos = from;
    this.end = end;
  }

  boolean hasMore() {
    return pos < end;
  }

  long varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte x = b[pos++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  long fixed64() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (long) (b[pos++] & 0xff) << (8 * i);
    }
    return v;
  }

  private int length() {
    long n = varint();
    if (n < 0 || n > end - pos) {
      throw new IllegalArgumentException("length " + n + " exceeds the message");
    }
    return (int) n;
  }

  byte[] bytes() {
    int n = length();
    byte[] out = Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return out;
  }

  String string() {
    int n = length();
    String s = new String(b, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** A reader over the next length-delimited value. */
  WireReader sub() {
    int n = length();
    WireReader r = new WireReader(b, pos, pos + n);
    pos += n;
    return r;
  }

  void skip(int wireType) {
    switch (wireType) {
      case 0 -> varint();
      case 1 -> pos += 8;
      case 2 -> {
        // not "pos += length()": Java reads pos before length() advances it past the length varint
        int n = length();
        pos += n;
      }
      case 5 -> pos += 4;
      default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
    }
    if (pos > end) {
      throw new IllegalArgumentException("field runs past the message");
    }
  }
}
