package dev.skiff.kubelet.image;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes images as an OCI image-layout tar archive (image-spec v1.0: {@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/...}), the format {@code ctr images import} and
 * {@code docker load} read.
 *
 * <p>Blobs that several images share (a common layer) are written once. Each reference becomes one
 * index entry annotated with {@code io.containerd.image.name} (the full name containerd imports
 * it as) and {@code org.opencontainers.image.ref.name} (its tag). Layers are stored uncompressed:
 * the archive is only carried to the local containerd. The output is byte-for-byte reproducible.
 */
public final class OciLayoutWriter {

  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
  static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";

  private OciLayoutWriter() {}

  /** Writes {@code images} to {@code target} (replacing it) for the platform {@code linux/<arch>}. */
  public static void write(Path target, List<OciImage> images, String architecture) throws IOException {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    JsonArray manifests = new JsonArray();
    for (OciImage image : images) {
      JsonArray layerDescriptors = new JsonArray();
      JsonArray diffIds = new JsonArray();
      for (byte[] layer : image.layers()) {
        String digest = add(blobs, layer);
        layerDescriptors.add(descriptor(LAYER_TYPE, digest, layer.length));
        diffIds.add(digest); // uncompressed: the diff ID is the layer's own digest
      }
      byte[] config = bytes(config(image.config(), diffIds, architecture));
      JsonObject manifest = new JsonObject();
      manifest.addProperty("schemaVersion", 2);
      manifest.addProperty("mediaType", MANIFEST_TYPE);
      manifest.add("config", descriptor(CONFIG_TYPE, add(blobs, config), config.length));
      manifest.add("layers", layerDescriptors);
      byte[] manifestBytes = bytes(manifest);
      String manifestDigest = add(blobs, manifestBytes);
      for (String reference : image.references()) {
        JsonObject entry = descriptor(MANIFEST_TYPE, manifestDigest, manifestBytes.length);
        JsonObject platform = new JsonObject();
        platform.addProperty("architecture", architecture);
        platform.addProperty("os", "linux");
        entry.add("platform", platform);
        JsonObject annotations = new JsonObject();
        annotations.addProperty("io.containerd.image.name", reference);
        annotations.addProperty("org.opencontainers.image.ref.name", tagOf(reference));
        entry.add("annotations", annotations);
        manifests.add(entry);
      }
    }
    JsonObject index = new JsonObject();
    index.addProperty("schemaVersion", 2);
    index.addProperty("mediaType", INDEX_TYPE);
    index.add("manifests", manifests);

    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try (OutputStream file = Files.newOutputStream(partial); TarArchiveWriter tar = new TarArchiveWriter(file)) {
      tar.file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      tar.file("index.json", 0644, bytes(index));
      tar.directory("blobs", 0755);
      tar.directory("blobs/sha256", 0755);
      for (var blob : blobs.entrySet()) {
        tar.file("blobs/sha256/" + blob.getKey().substring("sha256:".length()), 0644, blob.getValue());
      }
    }
    Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The OCI architecture name of this JVM's machine ({@code amd64}, {@code arm64}, ...). */
  public static String hostArchitecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  private static JsonObject config(ImageConfig image, JsonArray diffIds, String architecture) {
    JsonObject runtime = new JsonObject();
    runtime.add("Env", strings(image.env()));
    if (!image.entrypoint().isEmpty()) {
      runtime.add("Entrypoint", strings(image.entrypoint()));
    }
    if (!image.cmd().isEmpty()) {
      runtime.add("Cmd", strings(image.cmd()));
    }
    if (!image.workingDir().isEmpty()) {
      runtime.addProperty("WorkingDir", image.workingDir());
    }
    JsonObject rootfs = new JsonObject();
    rootfs.addProperty("type", "layers");
    rootfs.add("diff_ids", diffIds);
    JsonObject config = new JsonObject();
    config.addProperty("architecture", architecture);
    config.addProperty("os", "linux");
    config.add("config", runtime);
    config.add("rootfs", rootfs);
    return config;
  }

  private static JsonArray strings(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  private static JsonObject descriptor(String mediaType, String digest, long size) {
    JsonObject d = new JsonObject();
    d.addProperty("mediaType", mediaType);
    d.addProperty("digest", digest);
    d.addProperty("size", size);
    return d;
  }

  private static String add(Map<String, byte[]> blobs, byte[] content) {
    String digest = digest(content);
    blobs.putIfAbsent(digest, content);
    return digest;
  }

  private static byte[] bytes(JsonObject json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code sha256:<hex>} digest of {@code content}. */
  static String digest(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The tag of a reference ({@code latest} when it has none); digests references keep their digest. */
  static String tagOf(String reference) {
    int at = reference.indexOf('@');
    if (at >= 0) {
      return reference.substring(at + 1);
    }
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : "latest";
  }
}
