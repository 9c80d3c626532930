package dev.skiff.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one object charges against quota, for every kind (upstream's registry of evaluators): each
 * object counts once under {@code count/<resource>.<group>} ({@code count/<resource>} in the core
 * group) and, for the kinds quota knew before object counts, under the bare resource name; pods,
 * services and claims add their own resources. Stateless.
 */
public final class ObjectUsage {
  /** Core kinds counted under their bare name too (upstream's legacy object count names). */
  private static final Set<String> LEGACY = Set.of(
      "pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers", "resourcequotas");
  private static final String STORAGE_CLASS = ".storageclass.storage.k8s.io/";

  private ObjectUsage() {}

  /** The object count name of a resource: {@code count/configmaps}, {@code count/deployments.apps}. */
  public static String countName(String group, String resource) {
    return group == null || group.isEmpty() ? "count/" + resource : "count/" + resource + "." + group;
  }

  /**
   * The charge of {@code obj}, an object of {@code resource} in {@code group}; typed pods,
   * services and claims are charged their resources too.
   */
  public static ResourceUsage of(String group, String resource, HasMetadata obj, Instant now) {
    return switch (obj) {
      case Pod p -> PodUsage.of(p, now);
      case Service s -> service(s);
      case PersistentVolumeClaim c -> claim(c);
      default -> count(group, resource);
    };
  }

  /** Whether a quota covers {@code obj}: an unscoped quota covers everything, a scoped one matching pods. */
  public static boolean covers(ResourceQuotaSpec spec, HasMetadata obj) {
    if (!QuotaScopes.scoped(spec)) {
      return true;
    }
    return obj instanceof Pod p && QuotaScopes.matches(spec, p);
  }

  private static ResourceUsage count(String group, String resource) {
    Map<String, Amount> m = new TreeMap<>();
    m.put(countName(group, resource), Amount.of(1));
    if ((group == null || group.isEmpty()) && LEGACY.contains(resource)) {
      m.put(resource, Amount.of(1));
    }
    return ResourceUsage.of(m);
  }

  /** Upstream's service evaluator: load balancers, and node ports of NodePort and LoadBalancer services. */
  private static ResourceUsage service(Service s) {
    Map<String, Amount> m = new TreeMap<>(count("", "services").amounts());
    String type = s.getSpec() == null || s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
    int ports = s.getSpec() == null || s.getSpec().getPorts() == null ? 0 : s.getSpec().getPorts().size();
    m.put("services.loadbalancers", Amount.of("LoadBalancer".equals(type) ? 1 : 0));
    long nodePorts = 0;
    if ("NodePort".equals(type)) {
      nodePorts = ports;
    } else if ("LoadBalancer".equals(type) && !Boolean.FALSE.equals(s.getSpec().getAllocateLoadBalancerNodePorts())) {
      nodePorts = ports;
    } else if ("LoadBalancer".equals(type)) {
      nodePorts = s.getSpec().getPorts().stream().map(ServicePort::getNodePort).filter(p -> p != null && p > 0).count();
    }
    m.put("services.nodeports", Amount.of(nodePorts));
    return ResourceUsage.of(m);
  }

  /** Upstream's claim evaluator: the claim, its storage request, and both again per storage class. */
  private static ResourceUsage claim(PersistentVolumeClaim c) {
    Map<String, Amount> m = new TreeMap<>(count("", "persistentvolumeclaims").amounts());
    String cls = c.getSpec() == null ? null : c.getSpec().getStorageClassName();
    if (cls != null && !cls.isEmpty()) {
      m.put(cls + STORAGE_CLASS + "persistentvolumeclaims", Amount.of(1));
    }
    var requests = c.getSpec() == null || c.getSpec().getResources() == null ? null : c.getSpec().getResources().getRequests();
    if (requests != null && requests.containsKey("storage")) {
      Amount storage = Amount.of(requests.get("storage"));
      m.put("requests.storage", storage);
      if (cls != null && !cls.isEmpty()) {
        m.put(cls + STORAGE_CLASS + "requests.storage", storage);
      }
    }
    return ResourceUsage.of(m);
  }
}
