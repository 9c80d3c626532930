package dev.skiff.kubelet.cri;

import java.time.Instant;

/** One line of ListContainers: enough for a relist to tell what changed. */
public record ContainerSummary(
    String id,
    String sandboxId,
    String name,
    int attempt,
    ContainerState state,
    String image,
    String imageRef,
    Instant createdAt) {}
