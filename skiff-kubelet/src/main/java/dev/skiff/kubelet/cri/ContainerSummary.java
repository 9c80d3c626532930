package dev.skiff.kubelet.cri;

import java.time.Instant;
import java.util.Map;

/**
 * One line of ListContainers: enough for a relist to tell what changed.
 *
 * @param labels the labels the kubelet gave the container (upstream's {@code io.kubernetes.*} ones)
 */
public record ContainerSummary(
    String id,
    String sandboxId,
    String name,
    int attempt,
    ContainerState state,
    String image,
    String imageRef,
    Instant createdAt,
    Map<String, String> labels) {

  public ContainerSummary {
    labels = Map.copyOf(labels);
  }
}
