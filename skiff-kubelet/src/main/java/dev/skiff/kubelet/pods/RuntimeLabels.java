package dev.skiff.kubelet.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels and annotations the kubelet puts on CRI sandboxes and containers, with upstream's
 * names (kuberuntime labels.go), so that the pod and container of each can be found again after
 * a restart of the kubelet.
 */
public final class RuntimeLabels {

  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  /** Marks a sandbox as the kubelet's (upstream: {@code io.kubernetes.container.name=POD} on the sandbox too). */
  public static final String SANDBOX_CONTAINER_NAME = "POD";
  public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
  public static final String TERMINATION_GRACE = "io.kubernetes.pod.terminationGracePeriod";
  public static final String CONTAINER_TYPE = "io.kubernetes.container.type";

  private RuntimeLabels() {}

  /** The sandbox's labels: the pod's own labels plus the identifying ones. */
  public static Map<String, String> sandbox(Pod pod) {
    Map<String, String> labels = new HashMap<>();
    if (pod.getMetadata().getLabels() != null) {
      labels.putAll(pod.getMetadata().getLabels());
    }
    labels.putAll(identity(pod));
    labels.put(CONTAINER_NAME, SANDBOX_CONTAINER_NAME);
    return labels;
  }

  /** A container's labels: the pod's identity and the container's name. */
  public static Map<String, String> container(Pod pod, String containerName) {
    Map<String, String> labels = new HashMap<>(identity(pod));
    labels.put(CONTAINER_NAME, containerName);
    return labels;
  }

  private static Map<String, String> identity(Pod pod) {
    return Map.of(POD_NAME, pod.getMetadata().getName(), POD_NAMESPACE, pod.getMetadata().getNamespace(),
        POD_UID, pod.getMetadata().getUid());
  }
}
