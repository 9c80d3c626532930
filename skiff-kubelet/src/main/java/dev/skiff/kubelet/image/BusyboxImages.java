package dev.skiff.kubelet.image;

import dev.skiff.kubelet.HostCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Skiff's two built-in images, made on the node from a static busybox (Debian's busybox-static),
 * so that pods run with no registry:
 *
 * <ul>
 *   <li>{@code docker.io/skiff/busybox:<major.minor>}: {@code /bin/busybox}, a {@code /bin/<applet>}
 *       symlink for every applet it lists, {@code /etc/passwd} and {@code /etc/group} with root and
 *       nobody, a world-writable {@code /tmp}; runs {@code sh} by default.
 *   <li>{@code docker.io/skiff/pause:<major.minor>}: the same layer running {@code sleep infinity},
 *       the sandbox ("pause") image. Unlike upstream's pause it does not reap zombies, which matters
 *       only for pods that share one PID namespace.
 * </ul>
 *
 * The tag follows busybox's own version, so the names stay true when the host's busybox changes;
 * it is never {@code latest}, which the kubelet would try to pull on every start.
 */
public final class BusyboxImages {

  public static final String BUSYBOX_REPOSITORY = "docker.io/skiff/busybox";
  public static final String PAUSE_REPOSITORY = "docker.io/skiff/pause";

  private static final Pattern VERSION = Pattern.compile("BusyBox v(\\d+)\\.(\\d+)");

  private final Path busybox;
  private final String tag;
  private final List<String> applets;

  private BusyboxImages(Path busybox, String tag, List<String> applets) {
    this.busybox = busybox;
    this.tag = tag;
    this.applets = applets;
  }

  /** Reads the version and the applet list of the static busybox at {@code busybox}. */
  public static BusyboxImages of(Path busybox) throws IOException {
    Objects.requireNonNull(busybox, "busybox");
    String banner = HostCommand.of(busybox.toString()).run().output();
    Matcher m = VERSION.matcher(banner);
    if (!m.find()) {
      throw new IOException(busybox + " does not look like busybox: " + banner.lines().findFirst().orElse(""));
    }
    List<String> applets = HostCommand.of(busybox.toString(), "--list").output().lines()
        .map(String::strip)
        .filter(a -> !a.isEmpty() && !a.equals("busybox") && !a.contains("/"))
        .toList();
    return new BusyboxImages(busybox, m.group(1) + "." + m.group(2), applets);
  }

  /** Debian's busybox-static. */
  public static BusyboxImages debian() throws IOException {
    return of(Path.of("/bin/busybox"));
  }

  /** The busybox image's reference, for example {@code docker.io/skiff/busybox:1.35}. */
  public String busyboxReference() {
    return BUSYBOX_REPOSITORY + ":" + tag;
  }

  /** The pause image's reference, for example {@code docker.io/skiff/pause:1.35}; the CRI {@code sandbox_image}. */
  public String pauseReference() {
    return PAUSE_REPOSITORY + ":" + tag;
  }

  /** The applets that get a symlink in {@code /bin}. */
  public List<String> applets() {
    return applets;
  }

  /** Writes both images into one OCI layout archive at {@code target}, sharing their one layer. */
  public void writeLayout(Path target) throws IOException {
    byte[] layer = rootfsLayer();
    var busyboxImage = new OciImage(List.of(busyboxReference()), List.of(layer),
        new ImageConfig(List.of(), List.of("sh"), List.of(ImageConfig.DEFAULT_PATH), "/"));
    var pauseImage = new OciImage(List.of(pauseReference()), List.of(layer),
        new ImageConfig(List.of("/bin/sleep", "infinity"), List.of(), List.of(ImageConfig.DEFAULT_PATH), "/"));
    OciLayoutWriter.write(target, List.of(busyboxImage, pauseImage), OciLayoutWriter.hostArchitecture());
  }

  /** The root filesystem as one uncompressed layer. */
  public byte[] rootfsLayer() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var tar = new TarArchiveWriter(bytes)) {
      for (String dir : List.of("bin", "dev", "etc", "proc", "root", "sys", "usr", "var")) {
        tar.directory(dir, 0755);
      }
      tar.directory("tmp", 01777);
      tar.file("bin/busybox", 0755, Files.readAllBytes(busybox));
      for (String applet : applets) {
        tar.symlink("bin/" + applet, "busybox");
      }
      tar.file("etc/passwd", 0644, """
          root:x:0:0:root:/root:/bin/sh
          nobody:x:65534:65534:nobody:/nonexistent:/bin/false
          """.getBytes(StandardCharsets.UTF_8));
      tar.file("etc/group", 0644, """
          root:x:0:
          nogroup:x:65534:
          """.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
