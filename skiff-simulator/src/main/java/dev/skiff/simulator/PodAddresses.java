package dev.skiff.simulator;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pod IPs of one simulated node, handed out from its pod CIDR as host-local IPAM would: the network
 * address and the first host (the bridge's gateway) and the broadcast address are never given;
 * each pod (by uid) holds one address until released. Thread-safe.
 */
final class PodAddresses {

    private static final int FIRST_POD_OFFSET = 2;

    private final Ipv4Range cidr;
    private final BitSet used = new BitSet();
    private final Map<String, Integer> byPod = new HashMap<>();
    private int next = FIRST_POD_OFFSET;

    PodAddresses(Ipv4Range cidr) {
        this.cidr = Objects.requireNonNull(cidr, "cidr");
    }

    /** The pod's address, allocating one if it has none; empty when the CIDR is full. */
    synchronized Optional<String> allocate(String podUid) {
        Integer have = byPod.get(podUid);
        if (have != null) {
            return Optional.of(cidr.address(have));
        }
        int last = (int) cidr.size() - 2;
        // round-robin from the last grant, as host-local does, so a freed address is not reused at once
        for (int i = 0; i <= last - FIRST_POD_OFFSET; i++) {
            int offset = FIRST_POD_OFFSET + Math.floorMod(next - FIRST_POD_OFFSET + i, last - FIRST_POD_OFFSET + 1);
            if (!used.get(offset)) {
                used.set(offset);
                byPod.put(podUid, offset);
                next = offset + 1;
                return Optional.of(cidr.address(offset));
            }
        }
        return Optional.empty();
    }

    /** Records an address a pod already has (after a restart of the simulator). Ignores foreign addresses. */
    synchronized void restore(String podUid, String ip) {
        long o = cidr.offsetOf(ip);
        if (o >= FIRST_POD_OFFSET && o < cidr.size() - 1) {
            used.set((int) o);
            byPod.put(podUid, (int) o);
        }
    }

    synchronized void release(String podUid) {
        Integer offset = byPod.remove(podUid);
        if (offset != null) {
            used.clear(offset);
        }
    }
}
