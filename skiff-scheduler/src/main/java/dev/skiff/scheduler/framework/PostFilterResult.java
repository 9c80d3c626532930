package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * What a PostFilter plugin achieved: the node the pod is nominated to (empty to clear a stale
 * nomination) and the pods it evicted there.
 */
public record PostFilterResult(String nominatedNodeName, List<PodInfo> victims) {
    public PostFilterResult {
        victims = List.copyOf(victims);
    }
}
