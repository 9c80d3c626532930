package dev.skiff.simulator;

import java.util.Objects;

/**
 * An IPv4 CIDR as a base address and prefix length, with the arithmetic the simulator needs:
 * the {@code i}-th sub-range of a given size (a node's pod CIDR) and the {@code i}-th address.
 */
record Ipv4Range(int base, int prefix) {

    Ipv4Range {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of 0..32");
        }
        base = prefix == 0 ? 0 : base & (int) (0xFFFFFFFFL << (32 - prefix));
    }

    static Ipv4Range parse(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        return new Ipv4Range(addressBits(parts[0]), Integer.parseInt(parts[1]));
    }

    private static int addressBits(String ip) {
        String[] octets = ip.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        int addr = 0;
        for (String o : octets) {
            int v = Integer.parseInt(o);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            addr = (addr << 8) | v;
        }
        return addr;
    }

    /** The offset of {@code ip} in this range, or -1 when it lies outside. */
    long offsetOf(String ip) {
        long offset = Integer.toUnsignedLong(addressBits(ip)) - Integer.toUnsignedLong(base);
        return offset >= 0 && offset < size() ? offset : -1;
    }

    long size() {
        return 1L << (32 - prefix);
    }

    /** How many sub-ranges of {@code subPrefix} fit. */
    long subnets(int subPrefix) {
        return subPrefix < prefix ? 0 : 1L << (subPrefix - prefix);
    }

    Ipv4Range subnet(int subPrefix, long index) {
        if (index < 0 || index >= subnets(subPrefix)) {
            throw new IllegalArgumentException("subnet " + index + " of /" + subPrefix + " is outside " + this);
        }
        return new Ipv4Range(base + (int) (index << (32 - subPrefix)), subPrefix);
    }

    String address(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " outside " + this);
        }
        int a = base + (int) offset;
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    @Override
    public String toString() {
        return address(0) + "/" + prefix;
    }
}
