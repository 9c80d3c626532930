package dev.skiff.kubelet.pods;

import dev.skiff.kubelet.cri.PodSandboxSpec.DnsSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolv.conf as upstream's kubelet makes it (pkg/kubelet/network/dns/dns.go GetPodDNS):
 * ClusterFirst (the default; ClusterFirstWithHostNet too) points at the cluster DNS service with
 * the {@code <ns>.svc.<domain>}, {@code svc.<domain>}, {@code <domain>} searches and
 * {@code ndots:5}; a hostNetwork pod with ClusterFirst, and Default, get the node's resolv.conf (the
 * runtime copies it when the config is empty); None takes only the pod's dnsConfig. A dnsConfig is
 * merged into the other policies: its nameservers and searches appended, its options overriding by name.
 */
final class PodDns {

  /** The cluster DNS service's ClusterIP (the tenth address of 10.43.0.0/16), as in k3s. */
  static final String CLUSTER_DNS = "10.43.0.10";
  static final String CLUSTER_DOMAIN = "cluster.local";

  private PodDns() {}

  static DnsSettings settings(Pod pod) {
    var spec = pod.getSpec();
    String policy = spec.getDnsPolicy() == null || spec.getDnsPolicy().isEmpty() ? "ClusterFirst" : spec.getDnsPolicy();
    boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    switch (policy) {
      case "ClusterFirstWithHostNet" -> cluster(pod, servers, searches, options);
      case "ClusterFirst" -> {
        if (!hostNetwork) {
          cluster(pod, servers, searches, options);
        }
      }
      case "None", "Default" -> { }
      default -> throw new IllegalArgumentException("unknown dnsPolicy " + policy);
    }
    PodDNSConfig extra = spec.getDnsConfig();
    if (extra != null) {
      if (extra.getNameservers() != null) {
        servers.addAll(extra.getNameservers());
      }
      if (extra.getSearches() != null) {
        searches.addAll(extra.getSearches());
      }
      if (extra.getOptions() != null) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String o : options) {
          byName.put(o.split(":", 2)[0], o);
        }
        for (var o : extra.getOptions()) {
          byName.put(o.getName(), o.getValue() == null || o.getValue().isEmpty() ? o.getName()
              : o.getName() + ":" + o.getValue());
        }
        options = new ArrayList<>(byName.values());
      }
    }
    // upstream keeps at most three nameservers and drops repeated searches
    List<String> dedupedSearches = new ArrayList<>(new LinkedHashSet<>(searches));
    return new DnsSettings(servers.stream().distinct().limit(3).toList(), dedupedSearches, options);
  }

  private static void cluster(Pod pod, List<String> servers, List<String> searches, List<String> options) {
    servers.add(CLUSTER_DNS);
    searches.add(pod.getMetadata().getNamespace() + ".svc." + CLUSTER_DOMAIN);
    searches.add("svc." + CLUSTER_DOMAIN);
    searches.add(CLUSTER_DOMAIN);
    options.add("ndots:5");
  }
}
