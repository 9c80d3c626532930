package dev.skiff.kubelet.volumes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the files of a configMap, secret, downwardAPI or projected volume so that a container
 * sees either the old set or the new one, never a mix (upstream's pkg/volume/util/atomic_writer.go):
 *
 * <pre>
 * dir/..2026_11_26_23_18_41.123456789/key   the files of one version
 * dir/..data -> ..2026_11_26_23_18_41.123456789
 * dir/key -> ..data/key                     one link per top-level name
 * </pre>
 *
 * A new version is written beside the old one, then {@code ..data} is swapped by renaming a fresh
 * symlink over it (one atomic rename), then the old version is removed. Writing the same payload
 * again changes nothing. Not thread-safe for one directory; the pod's worker is its only writer.
 */
final class AtomicWriter {

  static final String DATA_LINK = "..data";
  private static final String DATA_LINK_TMP = "..data_tmp";

  private final Path dir;

  AtomicWriter(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /**
   * Makes {@code dir} show exactly {@code payload} (relative paths, which may hold '/').
   *
   * @return true when the files changed
   */
  boolean write(Map<String, FileProjection> payload) throws IOException {
    for (String path : payload.keySet()) {
      validate(path);
    }
    Files.createDirectories(dir);
    Path dataLink = dir.resolve(DATA_LINK);
    Path oldVersion = Files.isSymbolicLink(dataLink) ? dir.resolve(Files.readSymbolicLink(dataLink)) : null;
    if (oldVersion != null && payload.equals(read(oldVersion))) {
      return false;
    }
    String versionName = ".." + java.time.format.DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.n")
        .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
    Path version = dir.resolve(versionName);
    Files.createDirectory(version);
    for (var e : payload.entrySet()) {
      Path file = version.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue().content());
      Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
    }
    Files.setPosixFilePermissions(version, permissions(0755));
    Path tmp = dir.resolve(DATA_LINK_TMP);
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(versionName));
    Files.move(tmp, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    Set<String> wanted = new java.util.HashSet<>();
    payload.keySet().forEach(p -> wanted.add(p.split("/", 2)[0]));
    for (String name : wanted) {
      Path link = dir.resolve(name);
      try {
        Files.createSymbolicLink(link, Path.of(DATA_LINK, name));
      } catch (FileAlreadyExistsException e) {
        // already linked through ..data: it follows the swap by itself
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.startsWith("..") && !wanted.contains(name) && Files.isSymbolicLink(p)) {
          Files.delete(p);
        }
      }
    }
    if (oldVersion != null && !oldVersion.equals(version)) {
      deleteTree(oldVersion);
    }
    return true;
  }

  /** The files of one version directory, by relative path. */
  private static Map<String, FileProjection> read(Path version) throws IOException {
    if (!Files.isDirectory(version)) {
      return Map.of();
    }
    Map<String, FileProjection> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(version)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(version.relativize(p).toString(), new FileProjection(Files.readAllBytes(p),
            mode(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))));
      }
    }
    return new HashMap<>(files);
  }

  /** Upstream's validatePath: relative, no '..' element, not starting with '..'. */
  private static void validate(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.startsWith("..")) {
      throw new IllegalArgumentException("invalid volume file path: " + path);
    }
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw new IllegalArgumentException("volume file path may not contain '..': " + path);
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }

  private static int mode(Set<PosixFilePermission> set) {
    int mode = 0;
    for (int bit = 0; bit < 9; bit++) {
      if (set.contains(PosixFilePermission.values()[8 - bit])) {
        mode |= 1 << bit;
      }
    }
    return mode;
  }
}
