package dev.skiff.scheduler.plugins.interpodaffinity;

import dev.skiff.scheduler.framework.CycleState;

import java.util.Map;

/** PreScore's score per topology domain ({@code key -> value -> score}). */
record AffinityScores(Map<String, Map<String, Long>> topologyScore) implements CycleState.StateData {
    @Override
    public CycleState.StateData copy() {
        return this;
    }
}
