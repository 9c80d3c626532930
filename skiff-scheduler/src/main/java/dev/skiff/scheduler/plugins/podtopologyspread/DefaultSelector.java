package dev.skiff.scheduler.plugins.podtopologyspread;

import dev.skiff.scheduler.api.Selector;
import dev.skiff.scheduler.framework.ClusterLister;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;
import java.util.Map;

/**
 * The selector the cluster-default spreading constraints use for a pod, as upstream's
 * {@code helper.DefaultSelector}: the requirements of every Service, ReplicationController,
 * ReplicaSet and StatefulSet in the pod's namespace that selects the pod, ANDed together.
 * Empty when nothing selects the pod (then the defaults do not apply).
 */
final class DefaultSelector {

    private DefaultSelector() {
    }

    static Selector of(Pod pod, ClusterLister lister) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        Selector result = Selector.EVERYTHING;
        for (Service s : lister.services(ns)) {
            Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (sel != null && !sel.isEmpty() && Selector.ofLabels(sel).matches(labels)) {
                result = result.and(Selector.ofLabels(sel));
            }
        }
        for (ReplicationController rc : lister.replicationControllers(ns)) {
            Map<String, String> sel = rc.getSpec() == null ? null : rc.getSpec().getSelector();
            if (sel != null && !sel.isEmpty() && Selector.ofLabels(sel).matches(labels)) {
                result = result.and(Selector.ofLabels(sel));
            }
        }
        for (ReplicaSet rs : lister.replicaSets(ns)) {
            result = andIfMatches(result, rs.getSpec() == null ? null : Selector.of(rs.getSpec().getSelector()), labels);
        }
        for (StatefulSet ss : lister.statefulSets(ns)) {
            result = andIfMatches(result, ss.getSpec() == null ? null : Selector.of(ss.getSpec().getSelector()), labels);
        }
        return result;
    }

    private static Selector andIfMatches(Selector result, Selector sel, Map<String, String> labels) {
        if (sel != null && !sel.isEmpty() && sel.matches(labels)) {
            return result.and(sel);
        }
        return result;
    }

    /** Upstream's system defaults: zone maxSkew 5, hostname maxSkew 3, both ScheduleAnyway. */
    static List<SpreadConstraint> systemDefaults(Selector selector) {
        return List.of(
                new SpreadConstraint(3, PodTopologySpread.HOSTNAME_KEY, selector, 1, true, false),
                new SpreadConstraint(5, PodTopologySpread.ZONE_KEY, selector, 1, true, false));
    }
}
