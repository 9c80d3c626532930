package dev.skiff.scheduler.plugins.podtopologyspread;

import dev.skiff.scheduler.framework.CycleState;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What PreScore computed for the soft constraints: pod counts per non-hostname domain (over all
 * nodes), the weight of each constraint (log of its domain count + 2), the feasible nodes lacking a
 * required key (scored 0), and the feasible node names in scoring order (for normalization).
 */
record ScoreState(List<SpreadConstraint> constraints, Map<TopologyPair, Integer> domainCounts,
                  double[] weights, Set<String> ignoredNodes, List<String> nodeOrder) implements CycleState.StateData {
    @Override
    public CycleState.StateData copy() {
        return this;
    }
}
