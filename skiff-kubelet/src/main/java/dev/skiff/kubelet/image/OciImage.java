package dev.skiff.kubelet.image;

import java.util.List;
import java.util.Objects;

/**
 * One image to write into an OCI image layout: its references, its layers (uncompressed tar
 * archives, lowest first) and its config.
 *
 * @param references full references such as {@code docker.io/skiff/busybox:1.35}; containerd
 *     names the imported image after each of them
 */
public record OciImage(List<String> references, List<byte[]> layers, ImageConfig config) {
  public OciImage {
    references = List.copyOf(references);
    layers = List.copyOf(layers);
    Objects.requireNonNull(config, "config");
    if (references.isEmpty()) {
      throw new IllegalArgumentException("an image needs at least one reference");
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("an image needs at least one layer");
    }
  }
}
