package dev.skiff.controllers.disruption;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How many pods a budget expects and how many must stay healthy (upstream's
 * {@code getExpectedPodCount}): an integer minAvailable expects the selected pods and keeps that
 * many; maxUnavailable or a percentage expects the sum of the selected pods' controllers' replicas
 * (each controller once) and keeps the rest, percentages rounded up.
 */
record Budget(int expected, int desiredHealthy) {

  /**
   * @param scale the replicas of a pod's controller, empty when the pod has no controller whose
   *     scale is known
   * @return empty when the expectation needs a scale that is missing
   */
  static Optional<Budget> of(PodDisruptionBudgetSpec spec, List<Pod> pods, Function<Pod, Optional<Integer>> scale) {
    IntOrString minAvailable = spec.getMinAvailable();
    IntOrString maxUnavailable = spec.getMaxUnavailable();
    if (maxUnavailable == null && minAvailable != null && minAvailable.getIntVal() != null) {
      return Optional.of(new Budget(pods.size(), minAvailable.getIntVal()));
    }
    int expected = 0;
    Set<String> seen = new HashSet<>();
    for (Pod p : pods) {
      var owner = p.getMetadata().getOwnerReferences() == null ? null : p.getMetadata().getOwnerReferences().stream()
          .filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
      if (owner != null && !seen.add(owner.getUid())) {
        continue;
      }
      Optional<Integer> replicas = scale.apply(p);
      if (replicas.isEmpty()) {
        return Optional.empty();
      }
      expected += replicas.get();
    }
    if (maxUnavailable != null) {
      return Optional.of(new Budget(expected, Math.max(0, expected - scaled(maxUnavailable, expected))));
    }
    if (minAvailable != null) {
      return Optional.of(new Budget(expected, scaled(minAvailable, expected)));
    }
    return Optional.of(new Budget(0, 0)); // neither set: upstream expects nothing and allows nothing
  }

  /** An int, or a percentage of {@code total} rounded up. */
  static int scaled(IntOrString value, int total) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal().strip();
    int percent = Integer.parseInt(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
    return (int) Math.ceil(percent * (double) total / 100.0);
  }
}
