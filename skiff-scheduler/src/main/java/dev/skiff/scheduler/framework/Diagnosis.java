package dev.skiff.scheduler.framework;

import java.util.Map;
import java.util.Set;

/**
 * Why a pod fits nowhere: each evaluated node's rejecting status, the status given to nodes that
 * were not evaluated (PreFilter rejected the pod, or preemption deemed them hopeless), the plugins
 * that rejected the pod (for requeueing), and the PreFilter/PostFilter messages.
 */
public record Diagnosis(int numAllNodes, Map<String, Status> nodeToStatus, Status absentNodesStatus,
                        Set<String> unschedulablePlugins, String preFilterMsg, String postFilterMsg) {

    public Diagnosis {
        nodeToStatus = Map.copyOf(nodeToStatus);
        unschedulablePlugins = Set.copyOf(unschedulablePlugins);
        preFilterMsg = preFilterMsg == null ? "" : preFilterMsg;
        postFilterMsg = postFilterMsg == null ? "" : postFilterMsg;
    }

    public Diagnosis withPostFilterMsg(String msg) {
        return new Diagnosis(numAllNodes, nodeToStatus, absentNodesStatus, unschedulablePlugins, preFilterMsg, msg);
    }

    /** The status of {@code nodeName}: its own, or the one for absent nodes. */
    public Status statusOf(String nodeName) {
        Status s = nodeToStatus.get(nodeName);
        return s != null ? s : absentNodesStatus;
    }
}
