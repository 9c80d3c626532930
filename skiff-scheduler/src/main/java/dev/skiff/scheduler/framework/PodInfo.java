package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod with everything the scheduler derives from its spec computed once: effective requests
 * (plain and non-zero), host ports, compiled affinity terms and priority. Built when the pod enters
 * the cache or the queue, so that no plugin parses quantities or selectors in the hot loop.
 * Immutable; a changed pod gets a new PodInfo.
 */
public final class PodInfo {

    private final Pod pod;
    private final String key;
    private final Resources requests;
    private final Resources nonZeroRequests;
    private final List<HostPort> hostPorts;
    private final List<AffinityTerm> requiredAffinity;
    private final List<AffinityTerm> requiredAntiAffinity;
    private final List<AffinityTerm.Weighted> preferredAffinity;
    private final List<AffinityTerm.Weighted> preferredAntiAffinity;
    private final int priority;
    private final boolean terminating;
    private final Map<String, String> labels;
    private final String namespace;

    private PodInfo(Pod pod) {
        this.pod = Objects.requireNonNull(pod, "pod");
        this.key = keyOf(pod);
        this.requests = EffectiveRequests.of(pod);
        this.nonZeroRequests = EffectiveRequests.nonZero(pod);
        this.hostPorts = hostPortsOf(pod);
        Affinity a = pod.getSpec().getAffinity();
        var pa = a == null ? null : a.getPodAffinity();
        var paa = a == null ? null : a.getPodAntiAffinity();
        this.requiredAffinity = terms(pod, pa == null ? null : pa.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.requiredAntiAffinity = terms(pod, paa == null ? null : paa.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.preferredAffinity = weighted(pod, pa == null ? null : pa.getPreferredDuringSchedulingIgnoredDuringExecution());
        this.preferredAntiAffinity = weighted(pod, paa == null ? null : paa.getPreferredDuringSchedulingIgnoredDuringExecution());
        this.priority = pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority();
        this.terminating = pod.getMetadata().getDeletionTimestamp() != null;
        this.labels = pod.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(pod.getMetadata().getLabels());
        this.namespace = pod.getMetadata().getNamespace();
    }

    public static PodInfo of(Pod pod) {
        return new PodInfo(pod);
    }

    /** {@code namespace/name}, the pod's identity in the cache and queue. */
    public static String keyOf(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    public Pod pod() { return pod; }
    public String key() { return key; }
    public Resources requests() { return requests; }
    public Resources nonZeroRequests() { return nonZeroRequests; }
    public List<HostPort> hostPorts() { return hostPorts; }
    public List<AffinityTerm> requiredAffinity() { return requiredAffinity; }
    public List<AffinityTerm> requiredAntiAffinity() { return requiredAntiAffinity; }
    public List<AffinityTerm.Weighted> preferredAffinity() { return preferredAffinity; }
    public List<AffinityTerm.Weighted> preferredAntiAffinity() { return preferredAntiAffinity; }
    public int priority() { return priority; }
    public String namespace() { return namespace; }

    public Map<String, String> labels() {
        return labels;
    }

    /** True when the pod has any affinity or anti-affinity term (upstream's "pods with affinity"). */
    public boolean hasAffinity() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty()
                || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }

    /** True when the pod has a deletion timestamp (it is going away). */
    public boolean isTerminating() {
        return terminating;
    }

    private static List<HostPort> hostPortsOf(Pod pod) {
        List<HostPort> ports = new ArrayList<>();
        addPorts(ports, pod.getSpec().getContainers());
        addPorts(ports, pod.getSpec().getInitContainers());
        return List.copyOf(ports);
    }

    private static void addPorts(List<HostPort> into, List<Container> containers) {
        if (containers == null) {
            return;
        }
        for (Container c : containers) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                if (p.getHostPort() != null && p.getHostPort() > 0) {
                    into.add(new HostPort(p.getHostIP(), p.getProtocol(), p.getHostPort()));
                }
            }
        }
    }

    private static List<AffinityTerm> terms(Pod pod, List<PodAffinityTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        return terms.stream().map(t -> AffinityTerm.of(pod, t)).toList();
    }

    private static List<AffinityTerm.Weighted> weighted(Pod pod, List<WeightedPodAffinityTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        return terms.stream()
                .map(t -> new AffinityTerm.Weighted(AffinityTerm.of(pod, t.getPodAffinityTerm()), t.getWeight()))
                .toList();
    }

    @Override
    public String toString() {
        return key;
    }
}
