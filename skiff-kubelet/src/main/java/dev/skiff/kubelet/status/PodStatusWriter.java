package dev.skiff.kubelet.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts pod statuses through {@code pods/status}, only when they changed (upstream's status
 * manager). Keeps the last status posted per pod UID, which is also what the pod workers treat as
 * the pod's current phase before the informer has seen the write. Thread-safe.
 */
public final class PodStatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(PodStatusWriter.class);

  private final KubernetesClient client;
  private final Map<String, PodStatus> posted = new ConcurrentHashMap<>();

  public PodStatusWriter(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The status last posted for the pod with {@code uid}. */
  public Optional<PodStatus> last(String uid) {
    return Optional.ofNullable(posted.get(uid));
  }

  /**
   * Posts {@code status} for {@code pod} unless it equals the last one posted; returns whether it
   * posted. A pod that is gone from the API is not an error: there is nothing to post to.
   */
  public boolean write(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    String json = Serialization.asJson(status);
    PodStatus before = posted.get(uid);
    if (before != null && Serialization.asJson(before).equals(json)) {
      return false;
    }
    // a JSON merge patch: the lists (conditions, container statuses) are replaced whole, as they should be
    String patch = "{\"status\":" + json + "}";
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      posted.put(uid, status);
      LOG.debug("posted status of {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          status.getPhase());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        LOG.debug("pod {}/{} is gone; status not posted", pod.getMetadata().getNamespace(),
            pod.getMetadata().getName());
        return false;
      }
      throw e;
    }
  }

  /** Forgets a pod that is gone. */
  public void forget(String uid) {
    posted.remove(uid);
  }
}
