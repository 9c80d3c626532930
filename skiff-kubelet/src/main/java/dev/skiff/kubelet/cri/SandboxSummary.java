package dev.skiff.kubelet.cri;

import java.time.Instant;
import java.util.Map;

/**
 * One line of ListPodSandbox.
 *
 * @param labels the labels the kubelet gave the sandbox (upstream's {@code io.kubernetes.pod.*} ones)
 */
public record SandboxSummary(
    String id,
    String name,
    String namespace,
    String uid,
    int attempt,
    SandboxState state,
    Instant createdAt,
    Map<String, String> labels) {

  public SandboxSummary {
    labels = Map.copyOf(labels);
  }
}
