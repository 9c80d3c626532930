package dev.skiff.scheduler.plugins.podtopologyspread;

import dev.skiff.scheduler.framework.CycleState;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What PreFilter counted for the hard constraints: matching pods per topology domain. The minimum
 * per constraint is recomputed on demand (domains are few, and preemption changes counts).
 */
final class FilterState implements CycleState.StateData {

    final List<SpreadConstraint> constraints;
    final Map<TopologyPair, Integer> matchCounts;
    private final int[] minMatch;

    FilterState(List<SpreadConstraint> constraints, Map<TopologyPair, Integer> matchCounts) {
        this.constraints = constraints;
        this.matchCounts = matchCounts;
        this.minMatch = new int[constraints.size()];
        recomputeMinimums();
    }

    /** Recomputes each constraint's global minimum; fewer domains than minDomains means minimum 0. */
    void recomputeMinimums() {
        for (int i = 0; i < constraints.size(); i++) {
            SpreadConstraint c = constraints.get(i);
            int min = Integer.MAX_VALUE;
            int domains = 0;
            for (Map.Entry<TopologyPair, Integer> e : matchCounts.entrySet()) {
                if (e.getKey().key().equals(c.topologyKey())) {
                    domains++;
                    min = Math.min(min, e.getValue());
                }
            }
            minMatch[i] = domains == 0 || domains < c.minDomains() ? 0 : min;
        }
    }

    int minMatch(int constraint) {
        return minMatch[constraint];
    }

    @Override
    public CycleState.StateData copy() {
        return new FilterState(constraints, new HashMap<>(matchCounts));
    }
}
