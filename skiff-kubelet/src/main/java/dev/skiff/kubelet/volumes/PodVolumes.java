package dev.skiff.kubelet.volumes;

import dev.skiff.kubelet.HostCommand;
import dev.skiff.kubelet.cri.Mount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes of the pods on this node (upstream's volumemanager with the emptyDir, configMap,
 * secret, downwardAPI, projected and hostPath plugins): each lives under
 * {@code <podsDir>/<uid>/volumes/<plugin>/<name>} (hostPath excepted) and reaches containers as CRI
 * bind mounts.
 *
 * <p>{@link #setUp} is called on every sync of a pod: it is idempotent, and rewrites the files of
 * configMap, secret, downwardAPI and projected volumes (atomically, see {@link AtomicWriter}) when
 * their sources changed, which is how updates reach running pods. {@link #tearDown} unmounts and
 * removes all of a pod's volumes once it is gone. Safe for distinct pods from distinct threads.
 * File contents are never logged.
 */
public final class PodVolumes {

  private static final Logger LOG = LoggerFactory.getLogger(PodVolumes.class);

  /** Where one volume of a pod lies on the node, and whether containers get it read-only. */
  public record VolumePath(Path path, boolean readOnly) {}

  private final Path podsDir;
  private final VolumeProjection projection;

  /**
   * @param podsDir the kubelet's {@code pods/} directory
   */
  public PodVolumes(KubernetesClient client, Path podsDir) {
    this.podsDir = Objects.requireNonNull(podsDir, "podsDir").toAbsolutePath();
    this.projection = new VolumeProjection(client);
  }

  /** Sets up (or refreshes) every volume of {@code pod}; returns them by volume name. */
  public Map<String, VolumePath> setUp(Pod pod) throws VolumeError {
    Map<String, VolumePath> out = new LinkedHashMap<>();
    List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    for (Volume v : volumes) {
      try {
        out.put(v.getName(), setUp(pod, v));
      } catch (IOException e) {
        throw new VolumeError("volume " + v.getName() + ": " + e.getMessage());
      }
    }
    return out;
  }

  private VolumePath setUp(Pod pod, Volume v) throws IOException, VolumeError {
    if (v.getEmptyDir() != null) {
      Path dir = volumeDir(pod, "kubernetes.io~empty-dir", v.getName());
      Files.createDirectories(dir);
      if ("Memory".equals(v.getEmptyDir().getMedium())) {
        var limit = v.getEmptyDir().getSizeLimit();
        tmpfs(dir, limit == null ? "mode=0777" : "mode=0777,size=" + limit.getNumericalAmount().longValue());
      }
      Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
      return new VolumePath(dir, false);
    }
    if (v.getHostPath() != null) {
      return new VolumePath(HostPathType.prepare(Path.of(v.getHostPath().getPath()), v.getHostPath().getType()),
          false);
    }
    Map<String, FileProjection> files;
    String plugin;
    if (v.getConfigMap() != null) {
      var s = v.getConfigMap();
      plugin = "kubernetes.io~configmap";
      files = projection.configMap(pod, s.getName(), s.getItems(), s.getOptional(), mode(s.getDefaultMode()));
    } else if (v.getSecret() != null) {
      var s = v.getSecret();
      plugin = "kubernetes.io~secret";
      files = projection.secret(pod, s.getSecretName(), s.getItems(), s.getOptional(), mode(s.getDefaultMode()));
    } else if (v.getDownwardAPI() != null) {
      plugin = "kubernetes.io~downward-api";
      files = VolumeProjection.downwardApi(pod, v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode()));
    } else if (v.getProjected() != null) {
      plugin = "kubernetes.io~projected";
      files = projection.projected(pod, v.getProjected());
    } else {
      throw new VolumeError("volume " + v.getName() + ": this kind of volume is not supported by Skiff's kubelet");
    }
    Path dir = volumeDir(pod, plugin, v.getName());
    if (v.getSecret() != null || v.getProjected() != null) {
      // as upstream: secrets live in memory only, never on the node's disk
      tmpfs(dir, "mode=0755");
    }
    if (new AtomicWriter(dir).write(files)) {
      LOG.info("pod {}/{}: volume {} written ({} files)", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), v.getName(), files.size());
    }
    // upstream mounts these read-only whatever the volumeMount says
    return new VolumePath(dir, true);
  }

  /**
   * The CRI mounts of {@code container}: each volumeMount's volume, or its subPath (created as a
   * directory when missing), read-only when the volumeMount or the volume kind says so.
   */
  public static List<Mount> mounts(Container container, Map<String, VolumePath> volumes) throws VolumeError {
    return mounts(container, volumes, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #mounts(Container, Map)}, with each subPathExpr expanded by {@code expand} (the
   * container's {@code $(VAR)} expansion) into its subPath.
   */
  public static List<Mount> mounts(Container container, Map<String, VolumePath> volumes,
      java.util.function.UnaryOperator<String> expand) throws VolumeError {
    List<Mount> mounts = new ArrayList<>();
    for (VolumeMount vm : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
      VolumePath volume = volumes.get(vm.getName());
      if (volume == null) {
        throw new VolumeError("container " + container.getName() + " mounts unknown volume " + vm.getName());
      }
      Path host = volume.path();
      String subPath = vm.getSubPathExpr() != null && !vm.getSubPathExpr().isEmpty()
          ? expand.apply(vm.getSubPathExpr()) : vm.getSubPath();
      if (subPath != null && !subPath.isEmpty()) {
        Path sub = Path.of(subPath);
        if (sub.isAbsolute() || subPath.equals("..") || subPath.startsWith("../") || subPath.contains("/../")
            || subPath.endsWith("/..")) {
          throw new VolumeError("subPath " + subPath + " must be a relative path without '..'");
        }
        host = host.resolve(sub);
        if (!Files.exists(host)) {
          try {
            Files.createDirectories(host);
          } catch (IOException e) {
            throw new VolumeError("subPath " + subPath + ": " + e.getMessage());
          }
        }
        // a symlink (the ..data layout) must not lead out of the volume
        try {
          if (!host.toRealPath().startsWith(volume.path().toRealPath())) {
            throw new VolumeError("subPath " + subPath + " leads outside volume " + vm.getName());
          }
        } catch (IOException e) {
          throw new VolumeError("subPath " + subPath + ": " + e.getMessage());
        }
      }
      mounts.add(new Mount(vm.getMountPath(), host, volume.readOnly() || Boolean.TRUE.equals(vm.getReadOnly())));
    }
    return mounts;
  }

  /** Whether the pod has volumes whose files follow API objects (configMap, secret, downwardAPI, projected). */
  public static boolean refreshable(Pod pod) {
    return pod.getSpec().getVolumes() != null && pod.getSpec().getVolumes().stream().anyMatch(v ->
        v.getConfigMap() != null || v.getSecret() != null || v.getDownwardAPI() != null || v.getProjected() != null);
  }

  /**
   * The UIDs of the pods that have volumes on this node (directories {@code <podsDir>/<uid>/volumes};
   * the log directories, {@code <ns>_<name>_<uid>}, are not among them).
   */
  public java.util.Set<String> podsWithVolumes() {
    java.util.Set<String> uids = new java.util.HashSet<>();
    if (!Files.isDirectory(podsDir)) {
      return uids;
    }
    try (var entries = Files.newDirectoryStream(podsDir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.contains("_") && Files.isDirectory(p.resolve("volumes"))) {
          uids.add(name);
        }
      }
    } catch (IOException e) {
      LOG.warn("listing {} failed: {}", podsDir, e.toString());
    }
    return uids;
  }

  /** Unmounts and removes every volume of the pod with {@code uid}; idempotent. */
  public void tearDown(String uid) {
    projection.forget(uid);
    Path root = podsDir.resolve(uid);
    if (!Files.exists(root)) {
      return;
    }
    try {
      for (Path mountPoint : MountTable.mountPointsUnder(root)) {
        mount(List.of("umount", mountPoint.toString()));
      }
      AtomicWriter.deleteTree(root);
      LOG.info("pod {}: volumes removed", uid);
    } catch (IOException e) {
      LOG.warn("removing the volumes of pod {} failed: {}", uid, e.toString());
    }
  }

  private Path volumeDir(Pod pod, String plugin, String name) {
    return podsDir.resolve(pod.getMetadata().getUid()).resolve("volumes").resolve(plugin).resolve(name);
  }

  private static int mode(Integer mode) {
    return mode == null ? VolumeProjection.DEFAULT_MODE : mode;
  }

  /** Mounts a tmpfs on {@code dir} (made if missing) unless one is there already. */
  private static void tmpfs(Path dir, String options) throws IOException {
    Files.createDirectories(dir);
    if (!MountTable.isMountPoint(dir)) {
      mount(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
    }
  }

  private static void mount(List<String> command) throws IOException {
    var result = new HostCommand(command, Duration.ofSeconds(10)).run();
    if (!result.succeeded()) {
      throw new IOException(String.join(" ", command) + " failed: " + result.output().strip());
    }
  }
}
