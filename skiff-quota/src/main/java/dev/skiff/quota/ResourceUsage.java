package dev.skiff.quota;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A resource list in quota terms (upstream's {@code corev1.ResourceList} with {@code quota.Add},
 * {@code Subtract}, {@code Mask}): quota resource names ({@code pods}, {@code requests.cpu},
 * {@code count/deployments.apps}) to amounts, sorted by name. Immutable.
 */
public record ResourceUsage(SortedMap<String, Amount> amounts) {
  public static final ResourceUsage EMPTY = new ResourceUsage(new TreeMap<>());

  public ResourceUsage {
    amounts = Collections.unmodifiableSortedMap(new TreeMap<>(amounts));
  }

  public static ResourceUsage of(Map<String, Amount> amounts) {
    return new ResourceUsage(new TreeMap<>(amounts));
  }

  /** Parses a quota's {@code spec.hard} or {@code status.used}; null reads as empty. */
  public static ResourceUsage fromQuantities(Map<String, Quantity> list) {
    TreeMap<String, Amount> m = new TreeMap<>();
    if (list != null) {
      list.forEach((k, v) -> m.put(k, Amount.of(v)));
    }
    return new ResourceUsage(m);
  }

  public Amount get(String name) {
    return amounts.getOrDefault(name, Amount.ZERO);
  }

  public boolean has(String name) {
    return amounts.containsKey(name);
  }

  public Set<String> names() {
    return amounts.keySet();
  }

  /** The sum; names in either list appear in the result. */
  public ResourceUsage plus(ResourceUsage other) {
    TreeMap<String, Amount> m = new TreeMap<>(amounts);
    other.amounts.forEach((k, v) -> m.merge(k, v, Amount::plus));
    return new ResourceUsage(m);
  }

  /** The difference; names only in {@code other} appear negated. */
  public ResourceUsage minus(ResourceUsage other) {
    TreeMap<String, Amount> m = new TreeMap<>(amounts);
    other.amounts.forEach((k, v) -> m.put(k, m.getOrDefault(k, new Amount(BigDecimal.ZERO, v.binary())).minus(v)));
    return new ResourceUsage(m);
  }

  /** Only the names with an amount above zero (upstream's SubtractWithNonNegativeResult, then masked). */
  public ResourceUsage positive() {
    TreeMap<String, Amount> m = new TreeMap<>(amounts);
    m.values().removeIf(a -> a.value().signum() <= 0);
    return new ResourceUsage(m);
  }

  /** Only the given names. */
  public ResourceUsage mask(Collection<String> names) {
    TreeMap<String, Amount> m = new TreeMap<>(amounts);
    m.keySet().retainAll(Set.copyOf(names));
    return new ResourceUsage(m);
  }

  /** Every name of {@code names}, with zero where this list has none (a quota's used list). */
  public ResourceUsage withZeros(Collection<String> names) {
    TreeMap<String, Amount> m = new TreeMap<>();
    for (String n : names) {
      m.put(n, amounts.getOrDefault(n, Amount.ZERO));
    }
    return new ResourceUsage(m);
  }

  public boolean isEmpty() {
    return amounts.isEmpty();
  }

  /** As a Kubernetes resource list, in canonical quantities. */
  public Map<String, Quantity> toQuantities() {
    Map<String, Quantity> m = new LinkedHashMap<>();
    amounts.forEach((k, v) -> m.put(k, v.toQuantity()));
    return m;
  }

  /** Upstream's {@code prettyPrint}: {@code name=amount} pairs sorted by name, joined by commas. */
  @Override
  public String toString() {
    return amounts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
