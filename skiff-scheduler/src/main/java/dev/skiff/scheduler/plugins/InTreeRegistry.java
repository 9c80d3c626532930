package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.framework.PluginFactory;
import dev.skiff.scheduler.framework.Profile;
import dev.skiff.scheduler.plugins.defaultbinder.DefaultBinder;
import dev.skiff.scheduler.plugins.defaultpreemption.DefaultPreemption;
import dev.skiff.scheduler.plugins.imagelocality.ImageLocality;
import dev.skiff.scheduler.plugins.interpodaffinity.InterPodAffinity;
import dev.skiff.scheduler.plugins.nodeaffinity.NodeAffinity;
import dev.skiff.scheduler.plugins.nodename.NodeName;
import dev.skiff.scheduler.plugins.nodeports.NodePorts;
import dev.skiff.scheduler.plugins.noderesources.NodeResourcesBalancedAllocation;
import dev.skiff.scheduler.plugins.noderesources.NodeResourcesFit;
import dev.skiff.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import dev.skiff.scheduler.plugins.podtopologyspread.PodTopologySpread;
import dev.skiff.scheduler.plugins.tainttoleration.TaintToleration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The in-tree plugins by name, and the default profile with upstream's order and score weights
 * (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1,
 * NodeResourcesBalancedAllocation 1, ImageLocality 1). Out-of-tree plugins merge in with
 * {@link #with}.
 */
public final class InTreeRegistry {

    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    private InTreeRegistry() {
    }

    /** Every in-tree factory; {@code random} drives preemption's choice of starting node. */
    public static Map<String, PluginFactory> factories(Random random) {
        Map<String, PluginFactory> r = new HashMap<>();
        r.put(NodeUnschedulable.NAME, h -> new NodeUnschedulable());
        r.put(NodeName.NAME, h -> new NodeName());
        r.put(TaintToleration.NAME, h -> new TaintToleration());
        r.put(NodeAffinity.NAME, h -> new NodeAffinity());
        r.put(NodePorts.NAME, h -> new NodePorts());
        r.put(NodeResourcesFit.NAME, h -> new NodeResourcesFit());
        r.put(PodTopologySpread.NAME, PodTopologySpread::new);
        r.put(InterPodAffinity.NAME, InterPodAffinity::new);
        r.put(DefaultPreemption.NAME, h -> new DefaultPreemption(h, random));
        r.put(NodeResourcesBalancedAllocation.NAME, h -> new NodeResourcesBalancedAllocation());
        r.put(ImageLocality.NAME, h -> new ImageLocality());
        r.put(DefaultBinder.NAME, DefaultBinder::new);
        return r;
    }

    /** {@code base} plus {@code extra}; a name in both is a configuration error. */
    public static Map<String, PluginFactory> with(Map<String, PluginFactory> base, Map<String, PluginFactory> extra) {
        Map<String, PluginFactory> merged = new HashMap<>(base);
        extra.forEach((name, f) -> {
            if (merged.putIfAbsent(name, f) != null) {
                throw new IllegalArgumentException("plugin " + name + " already registered");
            }
        });
        return merged;
    }

    /** Upstream v1.32's default profile (volume plugins and scheduling gates not yet ported). */
    public static Profile defaultProfile() {
        return new Profile(DEFAULT_SCHEDULER_NAME, List.of(
                new Profile.Entry(NodeUnschedulable.NAME, 0),
                new Profile.Entry(NodeName.NAME, 0),
                new Profile.Entry(TaintToleration.NAME, 3),
                new Profile.Entry(NodeAffinity.NAME, 2),
                new Profile.Entry(NodePorts.NAME, 0),
                new Profile.Entry(NodeResourcesFit.NAME, 1),
                new Profile.Entry(PodTopologySpread.NAME, 2),
                new Profile.Entry(InterPodAffinity.NAME, 2),
                new Profile.Entry(DefaultPreemption.NAME, 0),
                new Profile.Entry(NodeResourcesBalancedAllocation.NAME, 1),
                new Profile.Entry(ImageLocality.NAME, 1),
                new Profile.Entry(DefaultBinder.NAME, 0)), 0);
    }
}
