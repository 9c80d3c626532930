package dev.skiff.bench.sched;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;

/**
 * The pod templates of upstream scheduler_perf (config/pod-*.yaml), as fabric8 objects: one pause
 * container with port 80 and equal requests and limits. Names are {@code pod-<i>} so the benchmark
 * can match a pod's creation to its binding.
 */
final class PerfPods {
  static final String HIGH_PRIORITY_CLASS = "bench-high";
  static final String LOW_PRIORITY_CLASS = "bench-low";

  private PerfPods() {}

  static Pod basic(int i) {
    return base(i, "100m", Map.of()).build();
  }

  /** pod-with-topology-spreading.yaml: maxSkew 5 over zones, DoNotSchedule, on label color=blue. */
  static Pod topologySpreading(int i) {
    return base(i, "100m", Map.of("color", "blue")).editSpec()
        .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(5)
            .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("DoNotSchedule")
            .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("color", "blue")).build())
            .build())
        .endSpec().build();
  }

  /** pod-with-pod-anti-affinity.yaml: required anti-affinity to color=green per hostname, in both namespaces. */
  static Pod antiAffinity(int i) {
    return base(i, "100m", Map.of("color", "green")).editSpec().withNewAffinity().withNewPodAntiAffinity()
        .withRequiredDuringSchedulingIgnoredDuringExecution(new PodAffinityTermBuilder()
            .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("color", "green")).build())
            .withTopologyKey("kubernetes.io/hostname").withNamespaces("sched-0", "sched-1").build())
        .endPodAntiAffinity().endAffinity().endSpec().build();
  }

  /** pod-with-node-affinity.yaml: required zone In [zone1, zone2]. */
  static Pod nodeAffinity(int i) {
    return base(i, "100m", Map.of()).editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
        .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("topology.kubernetes.io/zone")
            .withOperator("In").withValues("zone1", "zone2").build())
        .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().endAffinity().endSpec().build();
  }

  /** pod-low-priority.yaml: 900m, grace 0 (victims of preemption). */
  static Pod lowPriority(int i) {
    return base(i, "900m", Map.of()).editSpec().withTerminationGracePeriodSeconds(0L)
        .withPriorityClassName(LOW_PRIORITY_CLASS).endSpec().build();
  }

  /** pod-high-priority.yaml: 3000m at priority 10, which only fits by preempting low-priority pods. */
  static Pod highPriority(int i) {
    return base(i, "3000m", Map.of()).editSpec().withPriorityClassName(HIGH_PRIORITY_CLASS).endSpec().build();
  }

  private static PodBuilder base(int i, String cpu, Map<String, String> labels) {
    Map<String, Quantity> resources = Map.of("cpu", new Quantity(cpu), "memory", new Quantity("500Mi"));
    return new PodBuilder().withNewMetadata().withName("pod-" + i).withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("pause").withImage("registry.k8s.io/pause:3.10")
        .addNewPort().withContainerPort(80).endPort()
        .withNewResources().withRequests(resources).withLimits(resources).endResources()
        .endContainer().endSpec();
  }

  static List<String> namespaces() {
    return List.of("sched-0", "sched-1");
  }
}
