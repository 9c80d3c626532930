package dev.skiff.controllers.nodeipam;

import java.util.BitSet;
import java.util.Optional;

/**
 * The node ranges of one IPv4 cluster CIDR (upstream's {@code cidrset}): the cluster CIDR cut into
 * blocks of the node mask size, each free or taken. Allocation walks on from the last block
 * handed out, as upstream, so that a just-released range is not handed out again at once.
 * Thread-safe.
 */
final class CidrSet {
  /** More ranges than this would make the bitmap pointless; upstream caps the difference at 16 bits too. */
  private static final int MAX_BITS = 16;

  private final int base;
  private final int clusterPrefix;
  private final int nodePrefix;
  private final int size;
  /** Guarded by this. */
  private final BitSet used;
  /** Guarded by this. */
  private int next;

  CidrSet(String clusterCidr, int nodePrefix) {
    validate(clusterCidr, nodePrefix);
    int[] parsed = parse(clusterCidr);
    this.clusterPrefix = parsed[1];
    this.base = parsed[0] & mask(clusterPrefix);
    this.nodePrefix = nodePrefix;
    this.size = 1 << (nodePrefix - clusterPrefix);
    this.used = new BitSet(size);
  }

  static void validate(String clusterCidr, int nodePrefix) {
    int prefix = parse(clusterCidr)[1];
    if (nodePrefix < prefix || nodePrefix > 30 || nodePrefix - prefix > MAX_BITS) {
      throw new IllegalArgumentException("node CIDR mask size %d does not fit cluster CIDR %s (at most %d bits more)"
          .formatted(nodePrefix, clusterCidr, MAX_BITS));
    }
  }

  /** {@code [address, prefix]} of an IPv4 CIDR. */
  private static int[] parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    String[] octets = cidr.substring(0, slash).split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
    }
    int address = 0;
    for (String o : octets) {
      int v = Integer.parseInt(o);
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
      }
      address = (address << 8) | v;
    }
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
    }
    return new int[] {address, prefix};
  }

  private static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  private String format(int index) {
    int a = base + (index << (32 - nodePrefix));
    return "%d.%d.%d.%d/%d".formatted(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, nodePrefix);
  }

  /** The block index of {@code cidr}, if it is exactly one of this set's blocks. */
  private Optional<Integer> indexOf(String cidr) {
    int[] parsed;
    try {
      parsed = parse(cidr);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (parsed[1] != nodePrefix || (parsed[0] & mask(clusterPrefix)) != base || (parsed[0] & ~mask(nodePrefix)) != 0) {
      return Optional.empty();
    }
    return Optional.of((parsed[0] - base) >>> (32 - nodePrefix));
  }

  /** Marks {@code cidr} taken; false when it is not one of this set's blocks. */
  synchronized boolean occupy(String cidr) {
    Optional<Integer> i = indexOf(cidr);
    i.ifPresent(used::set);
    return i.isPresent();
  }

  /** Takes the next free block, or empty when every block is taken. */
  synchronized Optional<String> allocateNext() {
    for (int k = 0; k < size; k++) {
      int i = (next + k) % size;
      if (!used.get(i)) {
        used.set(i);
        next = (i + 1) % size;
        return Optional.of(format(i));
      }
    }
    return Optional.empty();
  }

  synchronized void release(String cidr) {
    indexOf(cidr).ifPresent(used::clear);
  }

  synchronized int free() {
    return size - used.cardinality();
  }
}
