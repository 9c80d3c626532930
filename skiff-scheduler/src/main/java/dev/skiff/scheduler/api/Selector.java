package dev.skiff.scheduler.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A label selector compiled once, then matched many times. Semantics follow upstream's
 * {@code metav1.LabelSelectorAsSelector}: a {@code null} selector matches nothing, an empty one
 * matches everything, and every requirement must hold.
 */
public record Selector(List<Requirement> requirements, boolean matchesNothing) {

    public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    /** One key requirement; {@code values} is empty for EXISTS and DOES_NOT_EXIST. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }

    public static final Selector NOTHING = new Selector(List.of(), true);
    public static final Selector EVERYTHING = new Selector(List.of(), false);

    public Selector {
        requirements = List.copyOf(requirements);
    }

    /** Compiles a fabric8 selector; unknown operators are rejected as the API server would. */
    public static Selector of(LabelSelector selector) {
        if (selector == null) {
            return NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> reqs.add(new Requirement(k, Operator.IN, Set.of(v))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement e : selector.getMatchExpressions()) {
                Operator op = switch (e.getOperator()) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw new IllegalArgumentException("unknown label selector operator " + e.getOperator());
                };
                reqs.add(new Requirement(e.getKey(), op, e.getValues() == null ? Set.of() : Set.copyOf(e.getValues())));
            }
        }
        return new Selector(reqs, false);
    }

    /** A selector requiring every given label, as upstream's {@code labels.SelectorFromSet}. */
    public static Selector ofLabels(Map<String, String> labels) {
        List<Requirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.IN, Set.of(v))));
        return new Selector(reqs, false);
    }

    /** This selector plus {@code other}'s requirements (both must hold). */
    public Selector and(Selector other) {
        if (matchesNothing || other.matchesNothing) {
            return NOTHING;
        }
        List<Requirement> all = new ArrayList<>(requirements);
        all.addAll(other.requirements);
        return new Selector(all, false);
    }

    public boolean isEmpty() {
        return !matchesNothing && requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        if (matchesNothing) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }
}
