package dev.skiff.scheduler.api;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;

import java.util.List;
import java.util.Map;

/**
 * Matches nodes against {@code NodeSelector} terms as upstream's {@code nodeaffinity} helpers do:
 * terms are ORed, a term's requirements ANDed, an empty term matches nothing, {@code matchFields}
 * support only {@code metadata.name}, and {@code Gt}/{@code Lt} compare integers.
 */
public final class NodeSelectorMatcher {

    private NodeSelectorMatcher() {
    }

    /** True when {@code selector} is null (no constraint) or any of its terms matches. */
    public static boolean matches(NodeSelector selector, Node node) {
        if (selector == null) {
            return true;
        }
        List<NodeSelectorTerm> terms = selector.getNodeSelectorTerms();
        if (terms == null) {
            return false;
        }
        for (NodeSelectorTerm t : terms) {
            if (matchesTerm(t, node)) {
                return true;
            }
        }
        return false;
    }

    /** True when every requirement of a non-empty term holds. */
    public static boolean matchesTerm(NodeSelectorTerm term, Node node) {
        if (term == null) {
            return false;
        }
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        for (NodeSelectorRequirement r : exprs) {
            if (!requirementHolds(r, labels.get(r.getKey()))) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : fields) {
            String value = "metadata.name".equals(r.getKey()) ? node.getMetadata().getName() : null;
            if (value == null || !requirementHolds(r, value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean requirementHolds(NodeSelectorRequirement r, String value) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> compareInts(r.getOperator(), value, values);
            default -> false;
        };
    }

    private static boolean compareInts(String op, String value, List<String> values) {
        if (value == null || values.size() != 1) {
            return false;
        }
        try {
            long have = Long.parseLong(value);
            long want = Long.parseLong(values.getFirst());
            return "Gt".equals(op) ? have > want : have < want;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
