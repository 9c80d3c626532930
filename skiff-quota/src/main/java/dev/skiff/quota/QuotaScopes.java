package dev.skiff.quota;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which pods a scoped quota covers (upstream's {@code podMatchesScopeFunc}): every scope of
 * {@code spec.scopes} and every requirement of {@code spec.scopeSelector} must hold. Scopes describe
 * pods only: a scoped quota covers no other kind. Stateless.
 */
public final class QuotaScopes {
  private QuotaScopes() {}

  /** Whether {@code spec} has any scope; an unscoped quota covers every object of its namespace. */
  public static boolean scoped(ResourceQuotaSpec spec) {
    return !requirements(spec).isEmpty();
  }

  public static boolean matches(ResourceQuotaSpec spec, Pod pod) {
    for (ScopedResourceSelectorRequirement r : requirements(spec)) {
      if (!matches(r, pod)) {
        return false;
      }
    }
    return true;
  }

  private static List<ScopedResourceSelectorRequirement> requirements(ResourceQuotaSpec spec) {
    List<ScopedResourceSelectorRequirement> all = new ArrayList<>();
    if (spec.getScopes() != null) {
      for (String s : spec.getScopes()) {
        all.add(new ScopedResourceSelectorRequirement("Exists", s, List.of()));
      }
    }
    if (spec.getScopeSelector() != null && spec.getScopeSelector().getMatchExpressions() != null) {
      all.addAll(spec.getScopeSelector().getMatchExpressions());
    }
    return all;
  }

  private static boolean matches(ScopedResourceSelectorRequirement r, Pod pod) {
    return switch (r.getScopeName()) {
      case "Terminating" -> terminating(pod);
      case "NotTerminating" -> !terminating(pod);
      case "BestEffort" -> bestEffort(pod);
      case "NotBestEffort" -> !bestEffort(pod);
      case "PriorityClass" -> priorityClassMatches(r, pod.getSpec().getPriorityClassName());
      case "CrossNamespacePodAffinity" -> crossNamespaceAffinity(pod);
      default -> false;
    };
  }

  private static boolean terminating(Pod pod) {
    Long deadline = pod.getSpec().getActiveDeadlineSeconds();
    return deadline != null && deadline >= 0;
  }

  /** QoS class BestEffort: no container requests or limits cpu or memory. */
  private static boolean bestEffort(Pod pod) {
    return Stream.concat(stream(pod.getSpec().getContainers()), stream(pod.getSpec().getInitContainers()))
        .noneMatch(PodUsage::mentionsComputeResources);
  }

  private static boolean priorityClassMatches(ScopedResourceSelectorRequirement r, String name) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    boolean set = name != null && !name.isEmpty();
    return switch (r.getOperator()) {
      case "In" -> set && values.contains(name);
      case "NotIn" -> !set || !values.contains(name);
      case "Exists" -> set;
      case "DoesNotExist" -> !set;
      default -> false;
    };
  }

  private static boolean crossNamespaceAffinity(Pod pod) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null) {
      return false;
    }
    List<PodAffinityTerm> terms = new ArrayList<>();
    if (affinity.getPodAffinity() != null) {
      terms.addAll(stream(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).toList());
      stream(affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
          .map(WeightedPodAffinityTerm::getPodAffinityTerm).forEach(terms::add);
    }
    if (affinity.getPodAntiAffinity() != null) {
      terms.addAll(stream(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).toList());
      stream(affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
          .map(WeightedPodAffinityTerm::getPodAffinityTerm).forEach(terms::add);
    }
    return terms.stream().anyMatch(t -> (t.getNamespaces() != null && !t.getNamespaces().isEmpty())
        || t.getNamespaceSelector() != null);
  }

  private static <T> Stream<T> stream(List<T> list) {
    return list == null ? Stream.empty() : list.stream();
  }

}
