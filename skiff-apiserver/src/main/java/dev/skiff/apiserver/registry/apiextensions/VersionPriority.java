package dev.skiff.apiserver.registry.apiextensions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's Kubernetes-aware version order ({@code version.CompareKubeAwareVersionStrings}):
 * GA versions first, highest major first; then betas, then alphas, each by major then minor,
 * highest first; versions that do not look like Kubernetes versions last, alphabetically.
 */
final class VersionPriority {
  private static final Pattern KUBE = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  private VersionPriority() {}

  /** Negative when {@code a} comes before {@code b}. */
  static int compare(String a, String b) {
    Matcher ma = KUBE.matcher(a);
    Matcher mb = KUBE.matcher(b);
    boolean ka = ma.matches();
    boolean kb = mb.matches();
    if (!ka || !kb) {
      return ka ? -1 : kb ? 1 : a.compareTo(b);
    }
    int stage = Integer.compare(stage(mb.group(2)), stage(ma.group(2)));
    if (stage != 0) {
      return stage;
    }
    int major = Integer.compare(Integer.parseInt(mb.group(1)), Integer.parseInt(ma.group(1)));
    if (major != 0 || ma.group(3) == null) {
      return major;
    }
    return Integer.compare(Integer.parseInt(mb.group(3)), Integer.parseInt(ma.group(3)));
  }

  private static int stage(String s) {
    return s == null ? 2 : s.equals("beta") ? 1 : 0;
  }
}
