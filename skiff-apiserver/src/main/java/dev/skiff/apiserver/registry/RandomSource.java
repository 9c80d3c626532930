package dev.skiff.apiserver.registry;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The random bytes of the server's uids and generated names: one DRBG (seeded once from the
 * platform), drawn from in 4 KiB blocks. A DRBG call has a fixed cost (locking, two hashes to update
 * its state) besides its output, so 16 bytes per call cost ~0.7-2 µs, 16 bytes of a 4 KiB block
 * ~0.05 µs (measured, session 6); the platform default (NativePRNG) reads /dev/urandom under one
 * global lock on every call. The bytes are the DRBG's, only taken ahead of time. Thread-safe.
 */
public final class RandomSource {
  /** The server's one source. */
  public static final RandomSource SHARED = new RandomSource(drbg());

  private static final int BLOCK = 4096;

  private final SecureRandom random;
  /** Guards {@link #block} and {@link #next}; held only to copy a few bytes. */
  private final ReentrantLock lock = new ReentrantLock();
  private final byte[] block = new byte[BLOCK];
  private int next = BLOCK;

  RandomSource(SecureRandom random) {
    this.random = java.util.Objects.requireNonNull(random, "random");
  }

  /** Fills {@code out} with random bytes. */
  public void nextBytes(byte[] out) {
    lock.lock();
    try {
      int done = 0;
      while (done < out.length) {
        if (next == BLOCK) {
          random.nextBytes(block);
          next = 0;
        }
        int n = Math.min(out.length - done, BLOCK - next);
        System.arraycopy(block, next, out, done, n);
        next += n;
        done += n;
      }
    } finally {
      lock.unlock();
    }
  }

  /** A random (version 4, RFC 4122 variant) UUID, as upstream's uids. */
  public String uuid() {
    byte[] b = new byte[16];
    nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(hi, lo).toString();
  }

  /**
   * {@code count} characters drawn uniformly from {@code alphabet} (at most 256 characters), as
   * upstream's random name suffixes.
   */
  public String chars(String alphabet, int count) {
    int size = alphabet.length();
    if (size == 0 || size > 256) {
      throw new IllegalArgumentException("alphabet of " + size + " characters");
    }
    // bytes at or above the largest multiple of size are drawn again, so every character is as likely
    int limit = 256 - 256 % size;
    StringBuilder out = new StringBuilder(count);
    byte[] b = new byte[count];
    while (out.length() < count) {
      nextBytes(b);
      for (int i = 0; i < b.length && out.length() < count; i++) {
        int v = b[i] & 0xff;
        if (v < limit) {
          out.append(alphabet.charAt(v % size));
        }
      }
    }
    return out.toString();
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
