package dev.skiff.kubelet.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** The node's mount points, read from {@code /proc/self/mountinfo}. */
final class MountTable {

  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private MountTable() {}

  static boolean isMountPoint(Path dir) throws IOException {
    return mountPoints().contains(dir.toAbsolutePath().normalize());
  }

  /** The mount points at or below {@code root}, deepest first (the order to unmount them in). */
  static List<Path> mountPointsUnder(Path root) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    return mountPoints().stream().filter(p -> p.startsWith(base))
        .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
  }

  private static List<Path> mountPoints() throws IOException {
    // field 5 is the mount point, with spaces and the like escaped as octal
    return Files.readAllLines(MOUNTINFO).stream().map(l -> l.split(" ")).filter(f -> f.length > 4)
        .map(f -> Path.of(f[4].replace("\\040", " "))).toList();
  }
}
