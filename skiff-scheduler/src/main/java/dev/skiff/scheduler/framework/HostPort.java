package dev.skiff.scheduler.framework;

/**
 * A host port a pod asks for. As upstream, an empty IP means 0.0.0.0 (every address) and an
 * empty protocol means TCP; two ports conflict when protocol and port agree and either IP is
 * 0.0.0.0 or both IPs are equal.
 */
public record HostPort(String ip, String protocol, int port) {

    public static final String ANY_IP = "0.0.0.0";

    public HostPort {
        ip = ip == null || ip.isEmpty() ? ANY_IP : ip;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    public boolean conflictsWith(HostPort o) {
        return port == o.port && protocol.equals(o.protocol)
                && (ip.equals(ANY_IP) || o.ip.equals(ANY_IP) || ip.equals(o.ip));
    }
}
