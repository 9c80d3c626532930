package dev.skiff.kubelet.image;

import java.util.List;
import java.util.Objects;

/**
 * The runtime part of an OCI image config: what a container runs when its pod spec says nothing.
 *
 * @param env {@code NAME=value} strings
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir) {

  /** The PATH that Docker and containerd give images: applets under any of these are found. */
  public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    Objects.requireNonNull(workingDir, "workingDir");
  }
}
