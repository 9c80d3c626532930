package dev.skiff.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Sidecar containers: init containers with {@code restartPolicy: Always} (upstream's
 * IsRestartableInitContainer). They start in order with the other init containers, but the next
 * one starts as soon as they have started; they then run alongside the regular containers, are
 * restarted whatever the pod's restartPolicy, and are stopped after them, in reverse order.
 */
public final class Sidecars {

  private Sidecars() {}

  /** Whether {@code c} is a sidecar (a restartable init container). */
  public static boolean is(Container c) {
    return "Always".equals(c.getRestartPolicy());
  }

  /** The pod's init containers, in order (sidecars among them). */
  public static List<Container> inits(Pod pod) {
    return pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
  }

  /** The pod's sidecars, in start order. */
  public static List<Container> of(Pod pod) {
    return inits(pod).stream().filter(Sidecars::is).toList();
  }
}
