package dev.skiff.kubelet.cri;

import java.util.Objects;

/**
 * A hostPort of a pod: traffic to {@code hostIp:hostPort} (all addresses when {@code hostIp} is
 * empty) goes to {@code containerPort} in the pod. Carried out by the CNI portmap plugin.
 */
public record PortMapping(Protocol protocol, int containerPort, int hostPort, String hostIp) {

  /** The transport protocols CRI knows. */
  public enum Protocol { TCP, UDP, SCTP }

  public PortMapping {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(hostIp, "hostIp");
    if (containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("containerPort out of range: " + containerPort);
    }
    if (hostPort < 0 || hostPort > 65535) {
      throw new IllegalArgumentException("hostPort out of range: " + hostPort);
    }
  }
}
