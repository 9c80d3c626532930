package dev.skiff.kubelet.cri;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A pod sandbox as the runtime sees it.
 *
 * @param ip the pod IP that CNI assigned; empty for host-network pods and sandboxes that are gone
 * @param additionalIps further IPs (the IPv6 one of a dual-stack pod)
 */
public record SandboxStatus(
    String id,
    String name,
    String namespace,
    String uid,
    int attempt,
    SandboxState state,
    Instant createdAt,
    Optional<String> ip,
    List<String> additionalIps) {

  public SandboxStatus {
    additionalIps = List.copyOf(additionalIps);
  }
}
