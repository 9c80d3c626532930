package dev.skiff.kubelet.cri;

import dev.skiff.kubelet.cri.v1.ContainerConfig;
import dev.skiff.kubelet.cri.v1.ContainerMetadata;
import dev.skiff.kubelet.cri.v1.ImageSpec;
import dev.skiff.kubelet.cri.v1.KeyValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the kubelet asks of one container in a sandbox.
 *
 * @param attempt starts at 0 and grows with each restart of the same container in the same sandbox
 * @param image a reference the runtime already has (for example {@code docker.io/skiff/busybox:1.35})
 * @param command the entrypoint; empty keeps the image's
 * @param args the arguments; empty keeps the image's cmd (when command is empty too)
 * @param workingDir empty keeps the image's
 * @param logPath relative to the sandbox's log directory; upstream uses {@code <name>/<attempt>.log}
 * @param resources cgroup limits; {@link LinuxResources#NONE} sets none
 * @param mounts host paths bind-mounted into the container (volumes), in order
 * @param stdio whether the container's stdin is kept open and whether it runs on a terminal
 */
public record ContainerSpec(
    String name,
    int attempt,
    String image,
    List<String> command,
    List<String> args,
    List<EnvVar> env,
    String workingDir,
    String logPath,
    Map<String, String> labels,
    Map<String, String> annotations,
    LinuxResources resources,
    List<Mount> mounts,
    Stdio stdio) {

  /**
   * The spec's {@code stdin}, {@code stdinOnce} and {@code tty}: with stdin the runtime keeps the
   * process's stdin open for {@code kubectl attach -i}; with stdinOnce it is closed after the first
   * attach ends; with tty the process gets a terminal.
   */
  public record Stdio(boolean stdin, boolean stdinOnce, boolean tty) {
    /** No stdin, no terminal: upstream's default. */
    public static final Stdio NONE = new Stdio(false, false, false);
  }

  /** A container without a stdin or terminal. */
  public ContainerSpec(String name, int attempt, String image, List<String> command, List<String> args,
      List<EnvVar> env, String workingDir, String logPath, Map<String, String> labels,
      Map<String, String> annotations, LinuxResources resources, List<Mount> mounts) {
    this(name, attempt, image, command, args, env, workingDir, logPath, labels, annotations, resources, mounts,
        Stdio.NONE);
  }

  /** A container without mounts. */
  public ContainerSpec(String name, int attempt, String image, List<String> command, List<String> args,
      List<EnvVar> env, String workingDir, String logPath, Map<String, String> labels,
      Map<String, String> annotations, LinuxResources resources) {
    this(name, attempt, image, command, args, env, workingDir, logPath, labels, annotations, resources, List.of());
  }

  public ContainerSpec {
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(stdio, "stdio");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(logPath, "logPath");
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = List.copyOf(env);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    mounts = List.copyOf(mounts);
  }

  /** A first attempt of a container that runs {@code command} in {@code image}, logging as upstream does. */
  public static ContainerSpec of(String name, String image, List<String> command) {
    return new ContainerSpec(name, 0, image, command, List.of(), List.of(), "", name + "/0.log",
        Map.of(), Map.of(), LinuxResources.NONE);
  }

  ContainerConfig toProto() {
    var config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(command)
        .addAllArgs(args)
        .setWorkingDir(workingDir)
        .setLogPath(logPath)
        .putAllLabels(labels)
        .putAllAnnotations(annotations)
        .setStdin(stdio.stdin())
        .setStdinOnce(stdio.stdinOnce())
        .setTty(stdio.tty());
    if (!resources.equals(LinuxResources.NONE)) {
      config.setLinux(dev.skiff.kubelet.cri.v1.LinuxContainerConfig.newBuilder().setResources(resources.toProto()));
    }
    for (Mount m : mounts) {
      config.addMounts(m.toProto());
    }
    for (EnvVar e : env) {
      config.addEnvs(KeyValue.newBuilder().setKey(e.name()).setValue(e.value()));
    }
    return config.build();
  }
}
