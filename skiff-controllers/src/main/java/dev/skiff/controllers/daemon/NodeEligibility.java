package dev.skiff.controllers.daemon;

import dev.skiff.scheduler.api.NodeSelectorMatcher;
import dev.skiff.scheduler.api.TolerationMatcher;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import java.util.Map;

/**
 * Whether a DaemonSet's pod belongs on a node, as upstream's {@code NodeShouldRunDaemonPod}, with
 * the scheduler's own matchers: the template's {@code nodeName} (if set), {@code nodeSelector} and
 * required node affinity must match, and every NoSchedule and NoExecute taint must be tolerated by
 * the template's tolerations plus the {@linkplain DaemonPods#tolerations default daemon tolerations}.
 * A node whose only untolerated taints are NoSchedule keeps a pod it already runs.
 *
 * @param shouldRun a pod should be created on the node
 * @param shouldContinueRunning a pod already on the node may stay
 */
record NodeEligibility(boolean shouldRun, boolean shouldContinueRunning) {
  static NodeEligibility of(Node node, DaemonSet ds) {
    PodSpec spec = ds.getSpec().getTemplate().getSpec();
    String nodeName = spec.getNodeName();
    if (nodeName != null && !nodeName.isEmpty() && !nodeName.equals(node.getMetadata().getName())) {
      return new NodeEligibility(false, false);
    }
    if (!matchesNodeSelector(spec.getNodeSelector(), node) || !matchesRequiredAffinity(spec, node)) {
      return new NodeEligibility(false, false);
    }
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    var tolerations = DaemonPods.tolerations(spec);
    boolean fits = TolerationMatcher.firstUntolerated(taints, tolerations,
        t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())).isEmpty();
    if (fits) {
      return new NodeEligibility(true, true);
    }
    boolean noExecuteTolerated = TolerationMatcher.firstUntolerated(taints, tolerations,
        t -> "NoExecute".equals(t.getEffect())).isEmpty();
    return new NodeEligibility(false, noExecuteTolerated);
  }

  private static boolean matchesNodeSelector(Map<String, String> selector, Node node) {
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return labels.entrySet().containsAll(selector.entrySet());
  }

  private static boolean matchesRequiredAffinity(PodSpec spec, Node node) {
    var affinity = spec.getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null) {
      return true;
    }
    return NodeSelectorMatcher.matches(affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), node);
  }
}
