package dev.skiff.scheduler.plugins.interpodaffinity;

import dev.skiff.scheduler.framework.CycleState;

import java.util.List;
import java.util.Map;

/** PreScore's score per topology domain ({@code key -> value -> score}) and the feasible node order. */
record AffinityScores(Map<String, Map<String, Long>> topologyScore, List<String> nodeOrder) implements CycleState.StateData {
    @Override
    public CycleState.StateData copy() {
        return this;
    }
}
