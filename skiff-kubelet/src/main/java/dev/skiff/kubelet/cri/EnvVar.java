package dev.skiff.kubelet.cri;

import java.util.Objects;

/** One environment variable of a container, in the order given. */
public record EnvVar(String name, String value) {
  public EnvVar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
