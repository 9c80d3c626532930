package dev.skiff.bench.pods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A cgroup v1 {@code cpuacct} group of the benchmark's own, into which it moves a containerd right
 * after starting it, so that the CPU time of containerd and of everything it forks afterwards (its
 * runc shims, the shims' {@code runc create/start}, the CNI plugins containerd executes) is summed by
 * the kernel, exited processes included, with the kernel work they do in their own context (network
 * namespaces, veth pairs, overlay mounts, cgroup set-up). Containers themselves land in
 * {@code k8s.io/<id>} groups of their own (containerd's default cgroupsPath under cgroupfs): see
 * {@link #podGroups()}.
 *
 * <p>Not counted anywhere here: work the kernel defers to its own threads (kworkers tearing down a
 * network namespace, RCU, softirqs). {@link #close()} moves whatever is still inside back to the
 * root group and removes the group. Needs root and cgroups v1 (as on Skiff's test machines).
 */
final class CpuAccountingGroup implements AutoCloseable {
  private static final Path CPUACCT = Path.of("/sys/fs/cgroup/cpuacct");

  /**
   * CPU time a group has used, nanoseconds.
   *
   * @param userNanos in user mode
   * @param systemNanos in the kernel, on behalf of the group's processes
   */
  record CpuTime(long userNanos, long systemNanos) {
    static final CpuTime ZERO = new CpuTime(0, 0);

    long totalNanos() {
      return userNanos + systemNanos;
    }

    CpuTime minus(CpuTime earlier) {
      return new CpuTime(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
    }
  }

  private final Path dir;

  private CpuAccountingGroup(Path dir) {
    this.dir = dir;
  }

  /** Whether this machine has a cgroup v1 cpuacct hierarchy where this process may create groups. */
  static boolean available() {
    return Files.isWritable(CPUACCT.resolve("cgroup.procs"));
  }

  /** Creates (or reuses, after a killed run) the group {@code name} under the cpuacct root. */
  static CpuAccountingGroup create(String name) throws IOException {
    Objects.requireNonNull(name, "name");
    return new CpuAccountingGroup(Files.createDirectories(CPUACCT.resolve(name)));
  }

  /** The group containerd 1.6 puts pod containers under (cgroupfs, no cgroup parent given by the kubelet). */
  static Path podGroups() {
    return CPUACCT.resolve("k8s.io");
  }

  /** Moves process {@code pid} (all its threads) into the group; its future children are born in it. */
  void adopt(long pid) throws IOException {
    Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
  }

  /** What the group and the groups below it have used since it was created. */
  CpuTime read() throws IOException {
    return read(dir);
  }

  /** What the cpuacct group at {@code group} (and below) has used; zero when it does not exist. */
  static CpuTime read(Path group) throws IOException {
    if (!Files.isDirectory(group)) {
      return CpuTime.ZERO;
    }
    return new CpuTime(Long.parseLong(Files.readString(group.resolve("cpuacct.usage_user")).strip()),
        Long.parseLong(Files.readString(group.resolve("cpuacct.usage_sys")).strip()));
  }

  @Override
  public void close() throws IOException {
    // a group with processes cannot be removed: hand any survivors (shims of pods not yet removed) back to the root
    List<String> left = Files.readAllLines(dir.resolve("cgroup.procs"));
    for (String pid : left) {
      if (!pid.isBlank()) {
        try {
          Files.writeString(CPUACCT.resolve("cgroup.procs"), pid.strip());
        } catch (IOException e) {
          // it exited in the meantime
        }
      }
    }
    Files.deleteIfExists(dir);
  }
}
