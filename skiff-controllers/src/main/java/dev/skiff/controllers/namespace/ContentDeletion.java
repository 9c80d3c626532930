package dev.skiff.controllers.namespace;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One pass over a terminating namespace's content (upstream's {@code deleteAllContent}): every
 * object of every namespaced resource is deleted (background propagation; objects already
 * terminating are left to their finalizers or grace period), then the resource is listed again to
 * count what remains and which finalizers hold it. Runs on a controller worker; blocking.
 */
final class ContentDeletion {
  private final KubernetesClient client;

  ContentDeletion(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * What one pass found.
   *
   * @param remaining resource plural to the count of its objects still present after the pass
   * @param finalizers finalizer to the count of remaining objects it holds
   * @param failures one line per resource whose list or delete failed
   */
  record Outcome(Map<String, Integer> remaining, Map<String, Integer> finalizers, List<String> failures) {
    boolean empty() {
      return remaining.isEmpty() && failures.isEmpty();
    }
  }

  Outcome run(String namespace, List<ResourceDefinitionContext> resources) {
    Map<String, Integer> remaining = new TreeMap<>();
    Map<String, Integer> finalizers = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (ResourceDefinitionContext r : resources) {
      String label = r.getGroup() == null || r.getGroup().isEmpty() ? r.getPlural() : r.getPlural() + "." + r.getGroup();
      try {
        var op = client.genericKubernetesResources(r).inNamespace(namespace);
        List<GenericKubernetesResource> items = op.list().getItems();
        if (items.isEmpty()) {
          continue;
        }
        for (GenericKubernetesResource item : items) {
          if (item.getMetadata().getDeletionTimestamp() == null) {
            op.withName(item.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
          }
        }
        List<GenericKubernetesResource> left = op.list().getItems();
        if (!left.isEmpty()) {
          remaining.put(label, left.size());
          for (GenericKubernetesResource item : left) {
            List<String> fs = item.getMetadata().getFinalizers();
            (fs == null ? List.<String>of() : fs).forEach(f -> finalizers.merge(f, 1, Integer::sum));
          }
        }
      } catch (KubernetesClientException e) {
        // 404/405: the resource went away or cannot be listed here; anything else is a failure to retry
        if (e.getCode() != 404 && e.getCode() != 405) {
          failures.add(label + ": " + e.getMessage());
        }
      }
    }
    return new Outcome(remaining, finalizers, failures);
  }
}
