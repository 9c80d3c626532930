package dev.skiff.scheduler.plugins.defaultpreemption;

import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.FrameworkHandle;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's {@code selectVictimsOnNode} on private copies: remove every lower-priority pod; if the
 * preemptor then fits, add pods back one by one, most important first and PDB-protected pods before
 * the others, keeping each that still lets the preemptor fit. What could not be added back are the
 * victims.
 */
final class VictimSearch {

    record Result(Status status, List<PodInfo> victims, int pdbViolations) {}

    private final FrameworkHandle handle;

    VictimSearch(FrameworkHandle handle) {
        this.handle = handle;
    }

    /** Changes {@code state} and {@code node}, which must be copies. */
    Result select(CycleState state, PodInfo pod, NodeInfo node) {
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : List.copyOf(node.pods())) {
            if (p.priority() < pod.priority()) {
                potential.add(p);
                node.removePod(p.key());
                Status s = handle.runPreFilterExtensionRemovePod(state, pod, p, node);
                if (!s.isSuccess()) {
                    return new Result(s, List.of(), 0);
                }
            }
        }
        if (potential.isEmpty()) {
            return new Result(Status.unresolvable(DefaultPreemption.NO_VICTIMS), List.of(), 0);
        }
        Status fits = handle.runFilterWithNominatedPods(state, pod, node);
        if (!fits.isSuccess()) {
            return new Result(fits, List.of(), 0);
        }
        potential.sort(PodImportance.MOST_IMPORTANT_FIRST);
        DisruptionBudgets.Split split = DisruptionBudgets.split(potential, handle.lister());
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (PodInfo p : split.violating()) {
            if (!reprieve(state, pod, node, p, victims)) {
                violations++;
            }
        }
        for (PodInfo p : split.nonViolating()) {
            reprieve(state, pod, node, p, victims);
        }
        victims.sort(PodImportance.MOST_IMPORTANT_FIRST);
        return new Result(Status.SUCCESS, victims, violations);
    }

    /** Puts {@code p} back; if the preemptor no longer fits, takes it out again as a victim. */
    private boolean reprieve(CycleState state, PodInfo pod, NodeInfo node, PodInfo p, List<PodInfo> victims) {
        node.addPod(p);
        handle.runPreFilterExtensionAddPod(state, pod, p, node);
        if (handle.runFilterWithNominatedPods(state, pod, node).isSuccess()) {
            return true;
        }
        node.removePod(p.key());
        handle.runPreFilterExtensionRemovePod(state, pod, p, node);
        victims.add(p);
        return false;
    }
}
