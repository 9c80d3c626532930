package dev.skiff.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a pod charges against quota (upstream's {@code pkg/quota/v1/evaluator/core/pods.go}): one
 * {@code pods} and {@code count/pods}, plus its compute requests and limits under quota names
 * ({@code requests.cpu} and its alias {@code cpu}, {@code limits.memory}, {@code requests.<extended>},
 * ...). The pod's requests are those the scheduler sees: the sum over its containers (and sidecars),
 * at least the largest init container, plus the pod overhead. A terminal pod charges nothing.
 * Stateless.
 */
public final class PodUsage {
  /** Resources whose quota forces every container to state them (upstream's validationSet). */
  static final Set<String> CONSTRAINED = Set.of(
      "requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory");
  private static final Set<String> NATIVE = Set.of("cpu", "memory", "ephemeral-storage", "storage", "pods");

  private PodUsage() {}

  /**
   * Whether the pod still counts: not Succeeded or Failed, and not past the end of a graceful
   * deletion (upstream's {@code QuotaV1Pod}).
   */
  public static boolean counts(Pod pod, Instant now) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    String deleted = pod.getMetadata().getDeletionTimestamp();
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    return deleted == null || grace == null || !now.isAfter(Instant.parse(deleted).plusSeconds(grace));
  }

  /** The pod's charge; empty for a pod that no longer counts. */
  public static ResourceUsage of(Pod pod, Instant now) {
    if (!counts(pod, now)) {
      return ResourceUsage.EMPTY;
    }
    PodSpec spec = pod.getSpec();
    Map<String, Amount> requests = podTotal(spec, c -> c.getResources() == null ? null : c.getResources().getRequests());
    Map<String, Amount> limits = podTotal(spec, c -> c.getResources() == null ? null : c.getResources().getLimits());
    if (spec.getOverhead() != null) {
      spec.getOverhead().forEach((k, v) -> {
        requests.merge(k, Amount.of(v), Amount::plus);
        limits.computeIfPresent(k, (n, a) -> a.plus(Amount.of(v)));
      });
    }
    return compute(requests, limits);
  }

  /**
   * Upstream's pod constraint check: for each of {@code required} that is a cpu or memory request
   * or limit, every container (and init container) must state it.
   *
   * @return the reason without the quota's name ({@code must specify limits.cpu for: a,b; ...}), or
   *     null when the pod states everything
   */
  public static String missing(Set<String> required, Pod pod) {
    Set<String> wanted = new TreeSet<>(required);
    wanted.retainAll(CONSTRAINED);
    SortedMap<String, Set<String>> missing = new TreeMap<>();
    for (List<Container> list : List.of(orEmpty(pod.getSpec().getContainers()), orEmpty(pod.getSpec().getInitContainers()))) {
      for (Container c : list) {
        ResourceUsage own = compute(amounts(c.getResources() == null ? null : c.getResources().getRequests()),
            amounts(c.getResources() == null ? null : c.getResources().getLimits()));
        for (String r : wanted) {
          if (!own.has(r)) {
            missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.getName());
          }
        }
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    return "must specify " + missing.entrySet().stream()
        .map(e -> e.getKey() + " for: " + String.join(",", e.getValue())).collect(Collectors.joining("; "));
  }

  /** Upstream's {@code podComputeUsageHelper}. */
  private static ResourceUsage compute(Map<String, Amount> requests, Map<String, Amount> limits) {
    Map<String, Amount> r = new TreeMap<>();
    r.put("pods", Amount.of(1));
    r.put("count/pods", Amount.of(1));
    for (String name : List.of("cpu", "memory", "ephemeral-storage")) {
      if (requests.containsKey(name)) {
        r.put(name, requests.get(name));
        r.put("requests." + name, requests.get(name));
      }
      if (limits.containsKey(name)) {
        r.put("limits." + name, limits.get(name));
      }
    }
    requests.forEach((name, amount) -> {
      if (name.startsWith("hugepages-") || isExtended(name)) {
        r.put("requests." + name, amount);
      }
    });
    limits.forEach((name, amount) -> {
      if (name.startsWith("hugepages-")) {
        r.put("limits." + name, amount);
      }
    });
    return ResourceUsage.of(r);
  }

  /** Names outside kubernetes.io that are not quota names themselves (upstream's IsExtendedResourceName). */
  private static boolean isExtended(String name) {
    if (NATIVE.contains(name) || name.startsWith("requests.") || name.startsWith("limits.")) {
      return false;
    }
    int slash = name.indexOf('/');
    return slash > 0 && !name.substring(0, slash).endsWith("kubernetes.io");
  }

  /** Sum over containers and sidecars, raised to at least each ordinary init container. */
  private static Map<String, Amount> podTotal(PodSpec spec, Function<Container, Map<String, Quantity>> of) {
    Map<String, Amount> total = new TreeMap<>();
    for (Container c : orEmpty(spec.getContainers())) {
      amounts(of.apply(c)).forEach((k, v) -> total.merge(k, v, Amount::plus));
    }
    Map<String, Amount> sidecars = new TreeMap<>();
    for (Container c : orEmpty(spec.getInitContainers())) {
      Map<String, Amount> own = amounts(of.apply(c));
      if ("Always".equals(c.getRestartPolicy())) {
        own.forEach((k, v) -> total.merge(k, v, Amount::plus));
        own.forEach((k, v) -> sidecars.merge(k, v, Amount::plus));
      } else {
        // an init container runs beside the sidecars started before it
        own.forEach((k, v) -> total.merge(k, v.plus(sidecars.getOrDefault(k, Amount.ZERO)), Amount::max));
      }
    }
    return total;
  }

  private static Map<String, Amount> amounts(Map<String, Quantity> list) {
    Map<String, Amount> m = new TreeMap<>();
    if (list != null) {
      list.forEach((k, v) -> m.put(k, Amount.of(v)));
    }
    return m;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** Whether the container states a cpu or memory request or limit (it is not BestEffort). */
  static boolean mentionsComputeResources(Container c) {
    Objects.requireNonNull(c, "c");
    if (c.getResources() == null) {
      return false;
    }
    for (Map<String, Quantity> m : Arrays.asList(c.getResources().getRequests(), c.getResources().getLimits())) {
      if (m != null && (m.containsKey("cpu") || m.containsKey("memory"))) {
        return true;
      }
    }
    return false;
  }
}
