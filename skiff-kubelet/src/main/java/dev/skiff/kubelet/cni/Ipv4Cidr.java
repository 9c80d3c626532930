package dev.skiff.kubelet.cni;

/**
 * An IPv4 network in CIDR notation, such as a node's podCIDR {@code 10.42.0.0/24}. The address is
 * kept as its network address: host bits are refused, as Kubernetes refuses them in podCIDR.
 *
 * @param network the network address as an unsigned 32-bit number in an int
 * @param prefixLength 0 to 32
 */
public record Ipv4Cidr(int network, int prefixLength) {

  public Ipv4Cidr {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }
    if ((network & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException("host bits set in " + format(network) + "/" + prefixLength);
    }
  }

  /** Parses {@code a.b.c.d/n}. */
  public static Ipv4Cidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR (no /): " + cidr);
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR prefix length: " + cidr, e);
    }
    return new Ipv4Cidr(parseAddress(cidr.substring(0, slash)), prefix);
  }

  /** Parses a dotted-quad IPv4 address into an int. */
  public static int parseAddress(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + address);
    }
    int value = 0;
    for (String part : parts) {
      int octet;
      try {
        octet = Integer.parseInt(part);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + address, e);
      }
      if (octet < 0 || octet > 255 || part.length() > 3 || part.isEmpty()) {
        throw new IllegalArgumentException("not an IPv4 address: " + address);
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  /** Formats an int as a dotted-quad address. */
  public static String format(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
  }

  private static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  /** Whether {@code address} (dotted quad) lies in this network. */
  public boolean contains(String address) {
    return (parseAddress(address) & mask(prefixLength)) == network;
  }

  /** Whether the two networks share any address. */
  public boolean overlaps(Ipv4Cidr other) {
    int shorter = Math.min(prefixLength, other.prefixLength);
    return (network & mask(shorter)) == (other.network & mask(shorter));
  }

  /** The first host address ({@code .1} of a /24): the bridge's address and the pods' gateway. */
  public String gateway() {
    if (prefixLength > 30) {
      throw new IllegalStateException("no room for a gateway and pods in /" + prefixLength);
    }
    return format(network + 1);
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefixLength;
  }
}
