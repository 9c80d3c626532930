package dev.skiff.kubelet.cri;

import java.util.List;

/**
 * An image the runtime holds.
 *
 * @param id the image's config digest ({@code sha256:...}), which CRI uses as its ID
 * @param repoTags references by tag, for example {@code docker.io/skiff/busybox:1.35}
 * @param repoDigests references by manifest digest
 * @param size bytes
 */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long size) {
  public ImageInfo {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
  }
}
