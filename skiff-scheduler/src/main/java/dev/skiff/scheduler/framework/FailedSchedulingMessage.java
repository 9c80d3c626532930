package dev.skiff.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the text of a {@code FailedScheduling} event exactly as upstream's {@code FitError.Error()}
 * (v1.32) prints it, e.g.
 * {@code 0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..}
 * (the doubled full stop is upstream's too: the preemption message ends in one and the separator adds another).
 */
public final class FailedSchedulingMessage {

    private FailedSchedulingMessage() {
    }

    public static String of(Diagnosis d) {
        StringBuilder msg = new StringBuilder("0/").append(d.numAllNodes()).append(" nodes are available:");
        if (!d.preFilterMsg().isEmpty()) {
            // a PreFilter rejection applies to every node: do not count it per node as well
            msg.append(' ').append(d.preFilterMsg()).append('.');
        } else {
            Map<String, Integer> counts = new HashMap<>();
            for (Status s : d.nodeToStatus().values()) {
                for (String r : s.reasons()) {
                    counts.merge(r, 1, Integer::sum);
                }
            }
            int absent = d.numAllNodes() - d.nodeToStatus().size();
            if (absent > 0 && d.absentNodesStatus() != null) {
                for (String r : d.absentNodesStatus().reasons()) {
                    counts.merge(r, absent, Integer::sum);
                }
            }
            List<String> parts = new ArrayList<>();
            counts.forEach((reason, n) -> parts.add(n + " " + reason));
            // upstream sorts the formatted strings, count first ("10 x" before "2 y")
            parts.sort(null);
            if (!parts.isEmpty()) {
                msg.append(' ').append(String.join(", ", parts)).append('.');
            }
        }
        if (!d.postFilterMsg().isEmpty()) {
            msg.append(' ').append(d.postFilterMsg()).append('.');
        }
        return msg.toString();
    }
}
