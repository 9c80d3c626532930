package dev.skiff.scheduler.framework;

/**
 * The writes preemption makes: delete a victim (with a {@code DisruptionTarget} condition, as
 * upstream), and clear the nominated node of a lower-priority pod whose room was taken.
 * Throws on failure; the preemptor then retries in a later cycle.
 */
public interface PodEvictor {

    void evict(PodInfo victim, PodInfo preemptor) throws Exception;

    void clearNominatedNodeName(PodInfo pod) throws Exception;
}
