package dev.skiff.kubelet.containerd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A containerd of Skiff's own: every path it writes to lies under {@code dataDir} (except the few
 * that containerd 1.6 fixes: {@code /run/containerd/{s,fifo,runc}} and {@code /var/lib/cni/results}),
 * its CRI plugin runs pods with runc under cgroupfs, takes pod networks from the CNI config in
 * {@link #cniConfDir()}, and never pulls a pause image (the {@code sandboxImage} must be imported).
 *
 * <p>{@link #toml()} renders the config in containerd's version-2 format, as k3s's template does,
 * with {@code restrict_oom_score_adj = true}: without CAP_SYS_RESOURCE (as on Skiff's test VMs)
 * every sandbox would fail to lower its oom_score_adj.
 *
 * @param dataDir absolute; containerd's root, state, socket, config and log live here
 * @param sandboxImage the pause image reference, already imported or about to be
 * @param containerdBinary the {@code containerd} executable
 * @param runcBinary the OCI runtime (runc 1.1; crun fails on hybrid cgroups)
 * @param cniBinDir where the CNI plugins lie ({@code /usr/lib/cni} on Debian)
 * @param cniConfDir where containerd reads the pod network's conflist
 */
public record ContainerdConfig(
    Path dataDir, String sandboxImage, Path containerdBinary, Path runcBinary, Path cniBinDir, Path cniConfDir) {

  /** A Unix socket path is limited to 107 bytes (sun_path); containerd fails obscurely past it. */
  private static final int MAX_SOCKET_PATH = 107;

  public ContainerdConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(sandboxImage, "sandboxImage");
    Objects.requireNonNull(containerdBinary, "containerdBinary");
    Objects.requireNonNull(runcBinary, "runcBinary");
    Objects.requireNonNull(cniBinDir, "cniBinDir");
    Objects.requireNonNull(cniConfDir, "cniConfDir");
    if (!dataDir.isAbsolute()) {
      throw new IllegalArgumentException("dataDir must be absolute: " + dataDir);
    }
    // the ttrpc socket is the longest: the grpc socket plus ".ttrpc"
    int longest = (dataDir.resolve("containerd.sock").toString() + ".ttrpc").getBytes(StandardCharsets.UTF_8).length;
    if (longest > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException("dataDir too long for a Unix socket path (" + longest + " > "
          + MAX_SOCKET_PATH + " bytes): " + dataDir);
    }
  }

  /** Debian's binaries and CNI plugins, the CNI config under {@code dataDir/cni/net.d}. */
  public static ContainerdConfig debianDefaults(Path dataDir, String sandboxImage) {
    return new ContainerdConfig(dataDir, sandboxImage, Path.of("/usr/bin/containerd"), Path.of("/usr/sbin/runc"),
        Path.of("/usr/lib/cni"), dataDir.resolve("cni").resolve("net.d"));
  }

  /** The CRI (and containerd API) socket. */
  public Path socket() {
    return dataDir.resolve("containerd.sock");
  }

  /** Where {@link ContainerdSupervisor} writes {@link #toml()}. */
  public Path configFile() {
    return dataDir.resolve("config.toml");
  }

  /** Where containerd's stdout and stderr go. */
  public Path logFile() {
    return dataDir.resolve("containerd.log");
  }

  /** containerd's persistent root: content store, snapshots, metadata. */
  public Path root() {
    return dataDir.resolve("root");
  }

  /** containerd's runtime state: task bundles, shim sockets' records. */
  public Path state() {
    return dataDir.resolve("state");
  }

  /** The config file's text. */
  public String toml() {
    String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
    return """
        # Written by Skiff's kubelet; rewritten at every start.
        version = 2
        root = %s
        state = %s
        oom_score = 0
        # snapshotters and tracing that Skiff never uses: skipping them saves start time and log noise
        disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", \
        "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", \
        "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

        [grpc]
          address = %s

        [ttrpc]
          address = %s

        [plugins."io.containerd.internal.v1.opt"]
          path = %s

        [%s]
          sandbox_image = %s
          restrict_oom_score_adj = true
          enable_selinux = false
          enable_unprivileged_ports = true
          enable_unprivileged_icmp = true
          # exec/attach/port-forward streams: loopback, a free port per containerd
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"

        [%s.containerd]
          snapshotter = "overlayfs"
          default_runtime_name = "runc"

        [%s.containerd.runtimes.runc]
          runtime_type = "io.containerd.runc.v2"

        [%s.containerd.runtimes.runc.options]
          BinaryName = %s
          SystemdCgroup = false

        [%s.cni]
          bin_dir = %s
          conf_dir = %s
          max_conf_num = 1
        """.formatted(
            quote(root()), quote(state()), quote(socket()), quote(socket() + ".ttrpc"),
            quote(dataDir.resolve("opt")),
            cri, quote(sandboxImage), cri, cri, cri, quote(runcBinary), cri, quote(cniBinDir), quote(cniConfDir));
  }

  /** A TOML basic string. */
  private static String quote(Object value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toString().toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
