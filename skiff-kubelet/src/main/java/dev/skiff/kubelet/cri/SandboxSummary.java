package dev.skiff.kubelet.cri;

import java.time.Instant;

/** One line of ListPodSandbox. */
public record SandboxSummary(
    String id, String name, String namespace, String uid, int attempt, SandboxState state, Instant createdAt) {}
