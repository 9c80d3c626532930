package dev.skiff.kubelet.image;

import dev.skiff.kubelet.HostCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports OCI or Docker image archives into a containerd with its {@code ctr} tool: CRI has no
 * import call. Images land in containerd's {@code k8s.io} namespace, where the CRI plugin sees
 * them at once, and are unpacked into the overlayfs snapshotter so that a container starts without
 * unpacking first.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
public final class ImageImporter {

  private static final Logger LOG = LoggerFactory.getLogger(ImageImporter.class);
  /** The containerd namespace of the CRI plugin. */
  public static final String CRI_NAMESPACE = "k8s.io";
  /** ctr prints "unpacking NAME (sha256:...)...done" once per imported image. */
  private static final Pattern UNPACKED = Pattern.compile("^unpacking (\\S+) \\(sha256:[0-9a-f]+\\)");

  private final Path ctr;
  private final Path socket;
  private final Duration timeout;

  /**
   * @param ctr the {@code ctr} executable (Debian's containerd package ships it)
   * @param socket the containerd socket (the CRI socket: containerd serves both on one)
   */
  public ImageImporter(Path ctr, Path socket, Duration timeout) {
    this.ctr = Objects.requireNonNull(ctr, "ctr");
    this.socket = Objects.requireNonNull(socket, "socket");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Debian's {@code /usr/bin/ctr}, one minute per archive. */
  public static ImageImporter forSocket(Path socket) {
    return new ImageImporter(Path.of("/usr/bin/ctr"), socket, Duration.ofMinutes(1));
  }

  /**
   * Imports the archive at {@code archive} and returns the names of the images it held.
   *
   * @throws IOException when ctr fails or takes longer than the timeout; the message has ctr's output
   */
  public List<String> importArchive(Path archive) throws IOException {
    List<String> command = List.of(ctr.toString(), "--address", socket.toString(), "--namespace", CRI_NAMESPACE,
        "images", "import", archive.toString());
    HostCommand.Result result = new HostCommand(command, timeout).run();
    if (!result.succeeded()) {
      throw new IOException("ctr images import " + archive + " failed (exit " + result.exitCode() + "): "
          + result.output().strip());
    }
    String output = result.output();
    List<String> names = output.lines()
        .map(UNPACKED::matcher)
        .filter(m -> m.find())
        .map(m -> m.group(1))
        .toList();
    LOG.info("imported {} into {}: {}", archive, socket, names);
    return names;
  }
}
