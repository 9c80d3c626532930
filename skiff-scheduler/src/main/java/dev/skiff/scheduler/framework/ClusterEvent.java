package dev.skiff.scheduler.framework;

import java.util.Objects;

/**
 * A change in the cluster that may make unschedulable pods schedulable, as upstream's
 * {@code framework.ClusterEvent}: a resource kind and what happened to it.
 */
public record ClusterEvent(Resource resource, Action action) {

    public enum Resource { POD, ASSIGNED_POD, NODE, PERSISTENT_VOLUME_CLAIM, SERVICE, POD_DISRUPTION_BUDGET, NAMESPACE, WILDCARD }

    /** What happened. {@code UPDATE} stands for any update; the others narrow a node or pod update. */
    public enum Action { ADD, DELETE, UPDATE, UPDATE_NODE_ALLOCATABLE, UPDATE_NODE_LABEL, UPDATE_NODE_TAINT,
        UPDATE_NODE_CONDITION, UPDATE_POD_LABEL, UPDATE_POD_SCALE_DOWN, ALL;

        boolean isUpdate() {
            return name().startsWith("UPDATE");
        }
    }

    public ClusterEvent {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
    }

    /** True when a plugin that registered {@code this} wants to hear about {@code happened}. */
    public boolean covers(ClusterEvent happened) {
        boolean kind = resource == Resource.WILDCARD || resource == happened.resource
                || (resource == Resource.POD && happened.resource == Resource.ASSIGNED_POD);
        if (!kind) {
            return false;
        }
        if (action == Action.ALL || action == happened.action) {
            return true;
        }
        // a registration for any update covers every narrower update; a narrow one covers a generic update
        return action.isUpdate() && happened.action.isUpdate()
                && (action == Action.UPDATE || happened.action == Action.UPDATE);
    }

    public static final ClusterEvent NODE_ADD = new ClusterEvent(Resource.NODE, Action.ADD);
    public static final ClusterEvent ASSIGNED_POD_DELETE = new ClusterEvent(Resource.ASSIGNED_POD, Action.DELETE);
    public static final ClusterEvent UNSCHEDULABLE_TIMEOUT = new ClusterEvent(Resource.WILDCARD, Action.ALL);
}
