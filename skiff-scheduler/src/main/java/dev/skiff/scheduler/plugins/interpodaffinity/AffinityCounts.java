package dev.skiff.scheduler.plugins.interpodaffinity;

import dev.skiff.scheduler.framework.CycleState;

import java.util.HashMap;
import java.util.Map;

/**
 * PreFilter's counts, per topology domain ({@code key -> value -> count}): existing pods whose
 * required anti-affinity selects the incoming pod, and existing pods selected by the incoming pod's
 * required affinity and anti-affinity terms.
 */
final class AffinityCounts implements CycleState.StateData {

    final Map<String, Map<String, Integer>> existingAntiAffinity;
    final Map<String, Map<String, Integer>> affinity;
    final Map<String, Map<String, Integer>> antiAffinity;

    AffinityCounts() {
        this(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    private AffinityCounts(Map<String, Map<String, Integer>> existingAntiAffinity,
                           Map<String, Map<String, Integer>> affinity, Map<String, Map<String, Integer>> antiAffinity) {
        this.existingAntiAffinity = existingAntiAffinity;
        this.affinity = affinity;
        this.antiAffinity = antiAffinity;
    }

    static void add(Map<String, Map<String, Integer>> m, String key, String value, int delta) {
        Map<String, Integer> byValue = m.computeIfAbsent(key, k -> new HashMap<>());
        int n = byValue.getOrDefault(value, 0) + delta;
        if (n == 0) {
            byValue.remove(value);
            if (byValue.isEmpty()) {
                m.remove(key);
            }
        } else {
            byValue.put(value, n);
        }
    }

    static int get(Map<String, Map<String, Integer>> m, String key, String value) {
        Map<String, Integer> byValue = m.get(key);
        return byValue == null || value == null ? 0 : byValue.getOrDefault(value, 0);
    }

    private static Map<String, Map<String, Integer>> deepCopy(Map<String, Map<String, Integer>> m) {
        Map<String, Map<String, Integer>> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, new HashMap<>(v)));
        return c;
    }

    @Override
    public CycleState.StateData copy() {
        return new AffinityCounts(deepCopy(existingAntiAffinity), deepCopy(affinity), deepCopy(antiAffinity));
    }
}
