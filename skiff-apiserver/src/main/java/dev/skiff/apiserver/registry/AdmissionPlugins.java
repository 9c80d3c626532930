package dev.skiff.apiserver.registry;

import java.util.List;
import java.util.Set;

/**
 * Which of upstream's default admission plugins that Skiff implements are on, as kube-apiserver's
 * {@code --disable-admission-plugins} decides. All are on unless disabled.
 *
 * @param disabled names of plugins turned off, as upstream names them
 */
public record AdmissionPlugins(Set<String> disabled) {
  /** Sets a pod's service account, refuses pods whose account is missing, mounts its token. */
  public static final String SERVICE_ACCOUNT = "ServiceAccount";
  /** The plugins Skiff has that can be turned off. */
  public static final List<String> KNOWN = List.of(SERVICE_ACCOUNT);

  public AdmissionPlugins {
    disabled = Set.copyOf(disabled);
    for (String name : disabled) {
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown admission plugin " + name + "; known: " + String.join(", ", KNOWN));
      }
    }
  }

  public static AdmissionPlugins all() {
    return new AdmissionPlugins(Set.of());
  }

  public boolean enabled(String name) {
    return !disabled.contains(name);
  }
}
