package dev.skiff.kubelet.cri;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A container as the runtime sees it.
 *
 * @param startedAt empty until the container has started
 * @param finishedAt empty until it has exited; {@code exitCode} means something only then
 * @param reason CamelCase, for example {@code Completed}, {@code Error} or {@code OOMKilled}
 * @param logPath the CRI-format log file on the host (absent when the container logs nowhere)
 */
public record ContainerStatus(
    String id,
    String name,
    int attempt,
    ContainerState state,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    int exitCode,
    String image,
    String imageRef,
    String reason,
    String message,
    Optional<Path> logPath) {}
