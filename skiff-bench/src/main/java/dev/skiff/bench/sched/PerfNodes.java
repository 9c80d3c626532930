package dev.skiff.bench.sched;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** upstream scheduler_perf's node-default.yaml: 4 CPUs, 32 GiB, 110 pods, Ready, no kubelet behind it. */
final class PerfNodes {
  private PerfNodes() {}

  static Node node(int i, List<String> zones) {
    String name = "scheduler-perf-" + i;
    Map<String, String> labels = new HashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    if (!zones.isEmpty()) {
      labels.put("topology.kubernetes.io/zone", zones.get(i % zones.size()));
    }
    Map<String, Quantity> capacity = Map.of("cpu", new Quantity("4"), "memory", new Quantity("32Gi"),
        "pods", new Quantity("110"));
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withCapacity(capacity).withAllocatable(capacity).withPhase("Running")
        .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").build())
        .endStatus().build();
  }
}
