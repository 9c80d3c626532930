package dev.skiff.kubelet.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own image archives: every {@code *.tar} (OCI image layout or {@code docker save}
 * format) in the kubelet's {@code images/} directory is imported into containerd at each kubelet
 * start, so that images reach a node without a registry. {@link #add} is the entry point of
 * {@code skiff images import FILE}: it keeps the archive there for later starts and imports it at
 * once when the node's containerd runs.
 *
 * <p>Stateless apart from its paths; thread-safe.
 */
public final class NodeImages {

  private static final Logger LOG = LoggerFactory.getLogger(NodeImages.class);

  private final Path directory;

  /** @param dataDir the kubelet's data directory; the archives lie in {@code dataDir/images} */
  public NodeImages(Path dataDir) {
    this.directory = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().resolve("images");
  }

  /** Where the archives lie. */
  public Path directory() {
    return directory;
  }

  /**
   * Imports every archive of the directory, in name order; one that fails is logged and skipped
   * (a broken archive must not keep the node from starting). Returns the image names imported.
   */
  public List<String> importAll(ImageImporter importer) throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return names;
    }
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.tar")) {
      entries.forEach(archives::add);
    }
    archives.sort(null);
    for (Path archive : archives) {
      try {
        names.addAll(importer.importArchive(archive));
      } catch (IOException e) {
        LOG.warn("image archive {} not imported: {}", archive, e.getMessage());
      }
    }
    return names;
  }

  /**
   * Copies {@code archive} into the directory (as {@code <its file name>}, ending in .tar) and, when
   * {@code runningSocket} is a containerd socket that exists, imports it now; returns the image
   * names imported now (empty when containerd does not run: the next kubelet start imports it).
   */
  public List<String> add(Path archive, Path runningSocket) throws IOException {
    if (!Files.isRegularFile(archive)) {
      throw new IOException("no such archive: " + archive);
    }
    Files.createDirectories(directory);
    String name = archive.getFileName().toString();
    Path kept = directory.resolve(name.endsWith(".tar") ? name : name + ".tar");
    if (!kept.equals(archive.toAbsolutePath())) {
      Files.copy(archive, kept, StandardCopyOption.REPLACE_EXISTING);
    }
    if (runningSocket == null || !Files.exists(runningSocket)) {
      return List.of();
    }
    return ImageImporter.forSocket(runningSocket).importArchive(kept);
  }

  /** The socket of the containerd a kubelet with {@code dataDir} supervises. */
  public static Path supervisedSocket(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("containerd").resolve("containerd.sock");
  }
}
