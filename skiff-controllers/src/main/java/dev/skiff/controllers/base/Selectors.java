package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Label selector matching, as upstream's {@code metav1.LabelSelectorAsSelector(...).Matches}. */
public final class Selectors {
  private Selectors() {}

  /**
   * Whether {@code labels} satisfy {@code selector}. A null selector matches nothing and an empty
   * one everything, as upstream.
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String v = have.get(r.getKey());
        boolean ok = switch (r.getOperator()) {
          case "In" -> v != null && values.contains(v);
          case "NotIn" -> v == null || !values.contains(v);
          case "Exists" -> v != null;
          case "DoesNotExist" -> v == null;
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
