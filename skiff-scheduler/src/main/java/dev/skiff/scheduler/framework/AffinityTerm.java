package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.api.Selector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;

import java.util.Map;
import java.util.Set;

/**
 * A compiled pod (anti-)affinity term: which pods it selects (namespaces or namespace selector,
 * plus a label selector, with {@code matchLabelKeys}/{@code mismatchLabelKeys} folded in) and the
 * topology key that defines "together". As upstream, a term without namespaces and without a
 * namespace selector selects pods of its owner's namespace.
 */
public record AffinityTerm(Set<String> namespaces, Selector namespaceSelector, Selector selector, String topologyKey) {

    /** Compiles {@code term} as written in {@code owner}'s spec. */
    public static AffinityTerm of(Pod owner, PodAffinityTerm term) {
        Set<String> namespaces = term.getNamespaces() == null ? Set.of() : Set.copyOf(term.getNamespaces());
        Selector nsSelector = Selector.of(term.getNamespaceSelector());
        if (namespaces.isEmpty() && term.getNamespaceSelector() == null) {
            namespaces = Set.of(owner.getMetadata().getNamespace());
        }
        Selector selector = Selector.of(term.getLabelSelector());
        Map<String, String> ownerLabels = owner.getMetadata().getLabels() == null ? Map.of() : owner.getMetadata().getLabels();
        if (term.getLabelSelector() != null && term.getMatchLabelKeys() != null) {
            for (String k : term.getMatchLabelKeys()) {
                if (ownerLabels.containsKey(k)) {
                    selector = selector.and(Selector.ofLabels(Map.of(k, ownerLabels.get(k))));
                }
            }
        }
        if (term.getLabelSelector() != null && term.getMismatchLabelKeys() != null) {
            for (String k : term.getMismatchLabelKeys()) {
                if (ownerLabels.containsKey(k)) {
                    selector = selector.and(new Selector(java.util.List.of(new Selector.Requirement(k,
                            Selector.Operator.NOT_IN, Set.of(ownerLabels.get(k)))), false));
                }
            }
        }
        return new AffinityTerm(namespaces, nsSelector, selector, term.getTopologyKey());
    }

    /** True when this term selects {@code pod}, whose namespace carries {@code namespaceLabels}. */
    public boolean matches(Pod pod, Map<String, String> namespaceLabels) {
        String ns = pod.getMetadata().getNamespace();
        if (!namespaces.contains(ns) && !namespaceSelector.matches(namespaceLabels)) {
            return false;
        }
        return selector.matches(pod.getMetadata().getLabels());
    }

    /** A term with its preference weight. */
    public record Weighted(AffinityTerm term, int weight) {}
}
