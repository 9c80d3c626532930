package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * Runs once per cycle after Filter, with the feasible nodes, to precompute what Score needs.
 * Returns Success, Skip (this plugin's Score does not run this cycle) or Error.
 */
public interface PreScorePlugin extends Plugin {

    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, Snapshot snapshot);
}
