package dev.skiff.controllers.endpoint;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What both endpoint controllers ask of a pod, with upstream's rules
 * ({@code pkg/controller/util/endpoint}): whether it belongs in a Service's endpoints at all,
 * which port a service port reaches on it (a named targetPort is looked up among its containers'
 * ports of the same protocol), its hostname, and the reference to it.
 */
public final class EndpointPods {
  private EndpointPods() {}

  /**
   * Upstream's {@code ShouldPodBeInEndpoints}: the pod has an IP, is not terminating (unless
   * {@code includeTerminating}), and has not finished for good.
   */
  public static boolean belongs(Pod pod, boolean includeTerminating) {
    if (ip(pod).isEmpty()) {
      return false;
    }
    if (!includeTerminating && pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    String phase = pod.getStatus() == null ? "" : Objects.requireNonNullElse(pod.getStatus().getPhase(), "");
    String restart = pod.getSpec() == null ? "Always" : Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    return switch (restart) {
      case "Never" -> !phase.equals("Failed") && !phase.equals("Succeeded");
      case "OnFailure" -> !phase.equals("Succeeded");
      default -> true;
    };
  }

  /** The pod's primary IP, or "" when it has none yet. */
  public static String ip(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPodIP() == null ? "" : pod.getStatus().getPodIP();
  }

  /**
   * The port {@code port} reaches on {@code pod}: its targetPort number, the container port named
   * by its targetPort, or (no targetPort) its port. Empty when a named port is not declared.
   */
  public static OptionalInt targetPort(Pod pod, ServicePort port) {
    IntOrString target = port.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return OptionalInt.of(port.getPort());
    }
    if (target.getIntVal() != null) {
      return OptionalInt.of(target.getIntVal());
    }
    String protocol = Objects.requireNonNullElse(port.getProtocol(), "TCP");
    if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
      for (Container c : pod.getSpec().getContainers()) {
        for (ContainerPort cp : c.getPorts() == null ? java.util.List.<ContainerPort>of() : c.getPorts()) {
          if (target.getStrVal().equals(cp.getName())
              && protocol.equals(Objects.requireNonNullElse(cp.getProtocol(), "TCP"))) {
            return OptionalInt.of(cp.getContainerPort());
          }
        }
      }
    }
    return OptionalInt.empty();
  }

  /** The pod's hostname in {@code svc}'s DNS: set when the pod's subdomain names the Service. */
  public static Optional<String> hostname(Pod pod, Service svc) {
    String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
    String subdomain = pod.getSpec() == null ? null : pod.getSpec().getSubdomain();
    if (hostname != null && !hostname.isEmpty() && svc.getMetadata().getName().equals(subdomain)
        && svc.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())) {
      return Optional.of(hostname);
    }
    return Optional.empty();
  }

  public static ObjectReference reference(Pod pod) {
    return new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build();
  }

  /** Whether {@code svc} is headless ({@code clusterIP: None}). */
  public static boolean headless(Service svc) {
    return svc.getSpec() != null && "None".equals(svc.getSpec().getClusterIP());
  }
}
