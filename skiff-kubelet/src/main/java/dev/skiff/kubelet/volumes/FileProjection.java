package dev.skiff.kubelet.volumes;

import java.util.Arrays;
import java.util.Objects;

/**
 * One file a configMap, secret, downwardAPI or projected volume shows.
 *
 * @param content the file's bytes
 * @param mode its permission bits (for example {@code 0644}); upstream's defaultMode or the item's mode
 */
public record FileProjection(byte[] content, int mode) {

  public FileProjection {
    Objects.requireNonNull(content, "content");
    if (mode < 0 || mode > 0777) {
      throw new IllegalArgumentException("mode must be within 0 and 0777: " + Integer.toOctalString(mode));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileProjection f && f.mode == mode && Arrays.equals(f.content, content);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(content) + mode;
  }

  /** Never prints the content: it may be a secret. */
  @Override
  public String toString() {
    return "FileProjection[" + content.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
  }
}
