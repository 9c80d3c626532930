package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What upstream's node lifecycle controller writes when a node's kubelet falls silent: Ready and
 * the three pressure conditions turn Unknown, reason {@code NodeStatusUnknown} ("Kubelet stopped
 * posting node status."), or {@code NodeStatusNeverUpdated} for a condition the kubelet never
 * posted; heartbeat times stay, transition times become now.
 */
final class UnknownConditions {
  static final List<String> TYPES = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  private UnknownConditions() {}

  /** The node's conditions with every monitored one Unknown; empty when they already are. */
  static Optional<List<NodeCondition>> of(Node node, Instant now) {
    String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    List<NodeCondition> out = new ArrayList<>();
    boolean changed = false;
    for (NodeCondition c : current) {
      if (TYPES.contains(c.getType()) && !"Unknown".equals(c.getStatus())) {
        out.add(new NodeConditionBuilder(c).withStatus("Unknown").withReason("NodeStatusUnknown")
            .withMessage("Kubelet stopped posting node status.").withLastTransitionTime(time).build());
        changed = true;
      } else {
        out.add(c);
      }
    }
    for (String type : TYPES) {
      if (current.stream().noneMatch(c -> type.equals(c.getType()))) {
        out.add(new NodeConditionBuilder().withType(type).withStatus("Unknown").withReason("NodeStatusNeverUpdated")
            .withMessage("Kubelet never posted node status.")
            .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp()).withLastTransitionTime(time).build());
        changed = true;
      }
    }
    return changed ? Optional.of(out) : Optional.empty();
  }

  /** The Ready condition's status: "True", "False", "Unknown", or "Unknown" when absent. */
  static String readyStatus(Node node) {
    return ready(node).map(NodeCondition::getStatus).orElse("Unknown");
  }

  static Optional<NodeCondition> ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }
}
