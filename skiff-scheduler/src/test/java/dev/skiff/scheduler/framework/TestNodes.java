package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fluent maker of test nodes (fabric8 objects), defaulting to 4 cpu, 8Gi, 110 pods. */
public final class TestNodes {

    private final String name;
    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, Quantity> allocatable = new HashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private final List<io.fabric8.kubernetes.api.model.ContainerImage> images = new ArrayList<>();
    private boolean unschedulable;

    private TestNodes(String name) {
        this.name = name;
        labels.put("kubernetes.io/hostname", name);
        allocatable.put("cpu", new Quantity("4"));
        allocatable.put("memory", new Quantity("8Gi"));
        allocatable.put("pods", new Quantity("110"));
    }

    public static TestNodes node(String name) {
        return new TestNodes(name);
    }

    public TestNodes label(String k, String v) {
        labels.put(k, v);
        return this;
    }

    public TestNodes zone(String zone) {
        return label("topology.kubernetes.io/zone", zone);
    }

    public TestNodes allocatable(String resource, String amount) {
        allocatable.put(resource, new Quantity(amount));
        return this;
    }

    public TestNodes taint(String key, String value, String effect) {
        taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
        return this;
    }

    public TestNodes unschedulable() {
        this.unschedulable = true;
        return this;
    }

    public TestNodes image(String imageName, long sizeBytes) {
        images.add(new ContainerImageBuilder().withNames(imageName).withSizeBytes(sizeBytes).build());
        return this;
    }

    public Node build() {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withTaints(taints).withUnschedulable(unschedulable ? Boolean.TRUE : null).endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable).withImages(images).endStatus()
                .build();
    }

    public NodeInfo info(Object... podsOnIt) {
        NodeInfo n = new NodeInfo(build());
        for (Object p : podsOnIt) {
            n.addPod(p instanceof PodInfo pi ? pi : PodInfo.of(((TestPods) p).build()));
        }
        return n;
    }
}
