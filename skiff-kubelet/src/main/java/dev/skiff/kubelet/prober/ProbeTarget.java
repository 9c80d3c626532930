package dev.skiff.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Objects;

/**
 * The container a probe runs against: its runtime ID (for exec) and its pod's IP (for the network
 * probes, which Skiff sends only to the pod's own IP).
 */
public record ProbeTarget(Container container, String containerId, String podIp) {

  public ProbeTarget {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(podIp, "podIp");
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  public int port(IntOrString port) {
    if (port == null) {
      throw new IllegalArgumentException("probe has no port");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    for (var p : container.getPorts() == null ? List.<io.fabric8.kubernetes.api.model.ContainerPort>of()
        : container.getPorts()) {
      if (name.equals(p.getName())) {
        return p.getContainerPort();
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("container " + container.getName() + " has no port named " + name);
    }
  }
}
