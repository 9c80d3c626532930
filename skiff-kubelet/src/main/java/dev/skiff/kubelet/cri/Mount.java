package dev.skiff.kubelet.cri;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host path bind-mounted into a container (CRI's Mount): a volume, a volume's subPath, or a
 * hostPath.
 *
 * @param containerPath absolute path inside the container
 * @param hostPath absolute path on the node; the runtime follows a symlink to its target
 * @param readOnly the mount is read-only in the container
 */
public record Mount(String containerPath, Path hostPath, boolean readOnly) {

  public Mount {
    Objects.requireNonNull(containerPath, "containerPath");
    Objects.requireNonNull(hostPath, "hostPath");
    if (!hostPath.isAbsolute()) {
      throw new IllegalArgumentException("hostPath must be absolute: " + hostPath);
    }
  }

  dev.skiff.kubelet.cri.v1.Mount toProto() {
    return dev.skiff.kubelet.cri.v1.Mount.newBuilder()
        .setContainerPath(containerPath)
        .setHostPath(hostPath.toString())
        .setReadonly(readOnly)
        .build();
  }
}
