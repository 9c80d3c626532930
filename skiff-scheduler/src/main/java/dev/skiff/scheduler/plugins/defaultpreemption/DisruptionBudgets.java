package dev.skiff.scheduler.plugins.defaultpreemption;

import dev.skiff.scheduler.api.Selector;
import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits would-be victims into those whose eviction would break a PodDisruptionBudget and those
 * that would not, as upstream's {@code filterPodsWithPDBViolation}: walking victims in order, each
 * matching budget's {@code disruptionsAllowed} is spent; a pod that drives any budget below zero
 * violates. Pods already listed in a budget's {@code disruptedPods} spend nothing.
 */
final class DisruptionBudgets {

    record Split(List<PodInfo> violating, List<PodInfo> nonViolating) {}

    private DisruptionBudgets() {
    }

    static Split split(List<PodInfo> pods, ClusterLister lister) {
        Map<String, Integer> allowed = new HashMap<>();
        List<PodInfo> violating = new ArrayList<>();
        List<PodInfo> nonViolating = new ArrayList<>();
        for (PodInfo p : pods) {
            boolean violates = false;
            for (PodDisruptionBudget pdb : lister.podDisruptionBudgets(p.namespace())) {
                // an empty or missing selector selects nothing for a PDB
                Selector sel = pdb.getSpec() == null ? Selector.NOTHING : Selector.of(pdb.getSpec().getSelector());
                if (sel.isEmpty() || !sel.matches(p.labels())) {
                    continue;
                }
                var status = pdb.getStatus();
                if (status != null && status.getDisruptedPods() != null
                        && status.getDisruptedPods().containsKey(p.pod().getMetadata().getName())) {
                    continue;
                }
                String key = pdb.getMetadata().getNamespace() + "/" + pdb.getMetadata().getName();
                int left = allowed.computeIfAbsent(key, k -> status == null || status.getDisruptionsAllowed() == null
                        ? 0 : status.getDisruptionsAllowed()) - 1;
                allowed.put(key, left);
                if (left < 0) {
                    violates = true;
                }
            }
            (violates ? violating : nonViolating).add(p);
        }
        return new Split(violating, nonViolating);
    }
}
