package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fluent maker of test pods (fabric8 objects) in namespace {@code default}. */
public final class TestPods {

    private final String name;
    private String namespace = "default";
    private final Map<String, String> labels = new HashMap<>();
    private final List<Container> containers = new ArrayList<>();
    private final List<Container> initContainers = new ArrayList<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<TopologySpreadConstraint> spread = new ArrayList<>();
    private final List<PodAffinityTerm> reqAffinity = new ArrayList<>();
    private final List<PodAffinityTerm> reqAnti = new ArrayList<>();
    private final List<WeightedPodAffinityTerm> prefAffinity = new ArrayList<>();
    private final List<WeightedPodAffinityTerm> prefAnti = new ArrayList<>();
    private final Map<String, String> nodeSelector = new HashMap<>();
    private io.fabric8.kubernetes.api.model.NodeAffinity nodeAffinity;
    private Map<String, Quantity> overhead;
    private Integer priority;
    private String preemptionPolicy;
    private String nodeName;
    private String nominatedNodeName;
    private String startTime;
    private boolean gated;

    private TestPods(String name) {
        this.name = name;
    }

    public static TestPods pod(String name) {
        return new TestPods(name);
    }

    public TestPods namespace(String ns) { this.namespace = ns; return this; }
    public TestPods label(String k, String v) { labels.put(k, v); return this; }
    public TestPods priority(int p) { this.priority = p; return this; }
    public TestPods preemptionPolicy(String p) { this.preemptionPolicy = p; return this; }
    public TestPods nodeName(String n) { this.nodeName = n; return this; }
    public TestPods nominatedNodeName(String n) { this.nominatedNodeName = n; return this; }
    public TestPods startTime(String t) { this.startTime = t; return this; }
    public TestPods nodeSelector(String k, String v) { nodeSelector.put(k, v); return this; }
    public TestPods nodeAffinity(io.fabric8.kubernetes.api.model.NodeAffinity a) { this.nodeAffinity = a; return this; }
    public TestPods gated() { this.gated = true; return this; }

    /** An app container with the given requests ("cpu=500m,memory=1Gi"; empty for none). */
    public TestPods container(String requests) {
        containers.add(container("c" + containers.size(), requests, null, "busybox"));
        return this;
    }

    public TestPods containerWithImage(String image) {
        containers.add(container("c" + containers.size(), "", null, image));
        return this;
    }

    public TestPods initContainer(String requests) {
        initContainers.add(container("i" + initContainers.size(), requests, null, "busybox"));
        return this;
    }

    public TestPods sidecar(String requests) {
        initContainers.add(container("s" + initContainers.size(), requests, "Always", "busybox"));
        return this;
    }

    public TestPods overhead(String requests) {
        this.overhead = parse(requests);
        return this;
    }

    public TestPods hostPort(int port, String protocol, String ip) {
        containers.add(new ContainerBuilder().withName("p" + containers.size()).withImage("busybox")
                .withPorts(new ContainerPortBuilder().withContainerPort(port).withHostPort(port)
                        .withProtocol(protocol).withHostIP(ip).build()).build());
        return this;
    }

    public TestPods toleration(String key, String operator, String value, String effect) {
        tolerations.add(new TolerationBuilder().withKey(key).withOperator(operator).withValue(value).withEffect(effect).build());
        return this;
    }

    public TestPods spread(int maxSkew, String key, String when, String labelKey, String labelValue) {
        spread.add(new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew).withTopologyKey(key)
                .withWhenUnsatisfiable(when)
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(labelKey, labelValue)).build()).build());
        return this;
    }

    public static PodAffinityTerm term(String key, String labelKey, String labelValue) {
        return new PodAffinityTermBuilder().withTopologyKey(key)
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(labelKey, labelValue)).build()).build();
    }

    public TestPods requiredAffinity(String key, String labelKey, String labelValue) {
        reqAffinity.add(term(key, labelKey, labelValue));
        return this;
    }

    public TestPods requiredAntiAffinity(String key, String labelKey, String labelValue) {
        reqAnti.add(term(key, labelKey, labelValue));
        return this;
    }

    public TestPods preferredAffinity(int weight, String key, String labelKey, String labelValue) {
        prefAffinity.add(new WeightedPodAffinityTermBuilder().withWeight(weight).withPodAffinityTerm(term(key, labelKey, labelValue)).build());
        return this;
    }

    public TestPods preferredAntiAffinity(int weight, String key, String labelKey, String labelValue) {
        prefAnti.add(new WeightedPodAffinityTermBuilder().withWeight(weight).withPodAffinityTerm(term(key, labelKey, labelValue)).build());
        return this;
    }

    static Map<String, Quantity> parse(String requests) {
        Map<String, Quantity> m = new HashMap<>();
        if (requests == null || requests.isBlank()) {
            return m;
        }
        for (String kv : requests.split(",")) {
            String[] p = kv.split("=");
            m.put(p[0].trim(), new Quantity(p[1].trim()));
        }
        return m;
    }

    private static Container container(String name, String requests, String restartPolicy, String image) {
        return new ContainerBuilder().withName(name).withImage(image).withRestartPolicy(restartPolicy)
                .withNewResources().withRequests(parse(requests)).endResources().build();
    }

    public Pod build() {
        List<Container> cs = containers.isEmpty() ? List.of(container("c", "", null, "busybox")) : containers;
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .withUid(namespace + "-" + name).endMetadata()
                .withNewSpec().withContainers(cs).withInitContainers(initContainers).withTolerations(tolerations)
                .withTopologySpreadConstraints(spread).withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withPriority(priority).withPreemptionPolicy(preemptionPolicy).withNodeName(nodeName)
                .withOverhead(overhead).endSpec()
                .withNewStatus().withNominatedNodeName(nominatedNodeName).withStartTime(startTime).endStatus();
        Pod pod = b.build();
        if (gated) {
            pod.getSpec().setSchedulingGates(List.of(new io.fabric8.kubernetes.api.model.PodSchedulingGate("example.com/gate")));
        }
        if (nodeAffinity != null || !reqAffinity.isEmpty() || !reqAnti.isEmpty() || !prefAffinity.isEmpty() || !prefAnti.isEmpty()) {
            var aff = new io.fabric8.kubernetes.api.model.Affinity();
            aff.setNodeAffinity(nodeAffinity);
            if (!reqAffinity.isEmpty() || !prefAffinity.isEmpty()) {
                aff.setPodAffinity(new io.fabric8.kubernetes.api.model.PodAffinity(prefAffinity, reqAffinity));
            }
            if (!reqAnti.isEmpty() || !prefAnti.isEmpty()) {
                aff.setPodAntiAffinity(new io.fabric8.kubernetes.api.model.PodAntiAffinity(prefAnti, reqAnti));
            }
            pod.getSpec().setAffinity(aff);
        }
        return pod;
    }

    public PodInfo info() {
        return PodInfo.of(build());
    }
}
