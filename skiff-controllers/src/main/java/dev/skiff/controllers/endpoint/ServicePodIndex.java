package dev.skiff.controllers.endpoint;

import dev.skiff.controllers.base.ObjectKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which pods a Service selects and which Services select a pod, from two informer indexes instead
 * of scans: pods are indexed by each {@code namespace/key=value} label pair they carry, Services
 * by each pair of their selector. The cost of one pod event is the number of Services in its
 * namespace that share at least one label pair with it (each then checked in full), not the
 * number of Services in the cluster; the pods of a Service are found from the smallest set of
 * pods sharing one of its selector's pairs, so a sync costs the size of that set, not the
 * namespace's pod count. Services without a selector (or an empty one) select nothing: their
 * endpoints are someone else's. Thread-safe (the informers' indexes are).
 */
public final class ServicePodIndex {
  static final String PODS_BY_LABEL = "skiff/pods-by-label-pair";
  static final String SERVICES_BY_SELECTOR = "skiff/services-by-selector-pair";

  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;

  /** Adds the two indexes to the shared informers unless another controller already did. */
  public ServicePodIndex(SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods) {
    this.services = Objects.requireNonNull(services, "services");
    this.pods = Objects.requireNonNull(pods, "pods");
    synchronized (ServicePodIndex.class) {
      if (!pods.getIndexer().getIndexers().containsKey(PODS_BY_LABEL)) {
        pods.addIndexers(Map.of(PODS_BY_LABEL, p -> pairs(p.getMetadata().getNamespace(), p.getMetadata().getLabels())));
      }
      if (!services.getIndexer().getIndexers().containsKey(SERVICES_BY_SELECTOR)) {
        services.addIndexers(Map.of(SERVICES_BY_SELECTOR,
            s -> pairs(s.getMetadata().getNamespace(), selector(s))));
      }
    }
  }

  private static List<String> pairs(String namespace, Map<String, String> labels) {
    return labels == null ? List.of() : labels.entrySet().stream()
        .map(e -> namespace + "/" + e.getKey() + "=" + e.getValue()).toList();
  }

  /** The Service's selector; empty when it has none. */
  public static Map<String, String> selector(Service svc) {
    Map<String, String> s = svc.getSpec() == null ? null : svc.getSpec().getSelector();
    return s == null ? Map.of() : s;
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    if (selector.isEmpty()) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }

  /** The pods {@code svc} selects, from the cache. */
  public List<Pod> podsOf(Service svc) {
    Map<String, String> selector = selector(svc);
    if (selector.isEmpty()) {
      return List.of();
    }
    List<Pod> smallest = pairs(svc.getMetadata().getNamespace(), selector).stream()
        .map(pair -> pods.getIndexer().byIndex(PODS_BY_LABEL, pair))
        .min(Comparator.comparingInt(List::size)).orElse(List.of());
    return smallest.stream().filter(p -> matches(selector, p.getMetadata().getLabels())).toList();
  }

  /** The keys of the Services that select {@code pod}, from the cache. */
  public Set<ObjectKey> servicesOf(Pod pod) {
    Set<ObjectKey> out = new HashSet<>();
    for (String pair : pairs(pod.getMetadata().getNamespace(), pod.getMetadata().getLabels())) {
      for (Service s : services.getIndexer().byIndex(SERVICES_BY_SELECTOR, pair)) {
        if (matches(selector(s), pod.getMetadata().getLabels())) {
          out.add(ObjectKey.of(s));
        }
      }
    }
    return out;
  }

  /** A pod handler that queues every Service selecting the pod, before and after a change. */
  public ResourceEventHandler<Pod> enqueueServices(Consumer<ObjectKey> enqueue) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        servicesOf(pod).forEach(enqueue);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        Set<ObjectKey> keys = servicesOf(pod);
        if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
          keys.addAll(servicesOf(old));
        }
        keys.forEach(enqueue);
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        servicesOf(pod).forEach(enqueue);
      }
    };
  }
}
