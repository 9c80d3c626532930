package dev.skiff.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;

/**
 * What the probes say of a running container, for its status: {@code started} (its startup probe
 * passed, or it has none) and {@code ready} (started, and its readiness probe passes or it has none).
 */
public interface ContainerProbes {

  /** No probes run: a running container is started and ready. */
  ContainerProbes NONE = new ContainerProbes() {
    @Override
    public boolean started(String podUid, Container c, String containerId) {
      return true;
    }

    @Override
    public boolean ready(String podUid, Container c, String containerId) {
      return true;
    }
  };

  boolean started(String podUid, Container c, String containerId);

  boolean ready(String podUid, Container c, String containerId);
}
