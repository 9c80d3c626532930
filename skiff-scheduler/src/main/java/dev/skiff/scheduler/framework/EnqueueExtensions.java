package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * An optional ability of a plugin that can reject pods: the cluster events after which a pod it
 * rejected may fit. The queue moves a pod out of the unschedulable set only on an event that one of
 * its rejecting plugins registered (or after the periodic flush). A rejecting plugin without this
 * interface is treated as interested in every event.
 */
public interface EnqueueExtensions {

    List<ClusterEvent> eventsToRegister();
}
