package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.UnaryOperator;

/**
 * A controller's one status write per sync, as upstream's {@code updateStatus} helpers: the cached
 * copy with the new status goes to the status subresource; on a conflict the status is written
 * once more onto a fresh copy of the same object (same uid). Other failures propagate, so the
 * sync is retried with back-off.
 */
public final class StatusWrite {
  private StatusWrite() {}

  /**
   * @param withStatus returns a copy of its argument carrying the new status
   * @return the written object; {@code cached} itself when the object is gone or was replaced
   */
  public static <T extends HasMetadata> T write(KubernetesClient client, Class<T> type, T cached,
      UnaryOperator<T> withStatus) {
    var api = client.resources(type).inNamespace(cached.getMetadata().getNamespace());
    try {
      return api.resource(withStatus.apply(cached)).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      T fresh = api.withName(cached.getMetadata().getName()).get();
      if (fresh == null || !fresh.getMetadata().getUid().equals(cached.getMetadata().getUid())) {
        return cached;
      }
      return api.resource(withStatus.apply(fresh)).updateStatus();
    }
  }
}
