package dev.skiff.controllers.daemon;

import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.history.ControllerRevisions;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods a DaemonSet makes (upstream's {@code daemon/util}): its template with the revision's
 * hash label, the default daemon tolerations, and a required node affinity on
 * {@code metadata.name} that pins the pod to one node while leaving the binding to the default
 * scheduler, as upstream has done since 1.12.
 */
final class DaemonPods {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String NAME_FIELD = "metadata.name";

  private DaemonPods() {}

  /**
   * The template's tolerations plus upstream's {@code AddOrUpdateDaemonPodTolerations}: daemons
   * stay on not-ready and unreachable nodes and schedule despite disk, memory and pid pressure,
   * cordoning, and (with host networking) an unavailable network.
   */
  static List<Toleration> tolerations(PodSpec spec) {
    List<Toleration> out = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    add(out, "node.kubernetes.io/not-ready", "NoExecute");
    add(out, "node.kubernetes.io/unreachable", "NoExecute");
    add(out, "node.kubernetes.io/disk-pressure", "NoSchedule");
    add(out, "node.kubernetes.io/memory-pressure", "NoSchedule");
    add(out, "node.kubernetes.io/pid-pressure", "NoSchedule");
    add(out, "node.kubernetes.io/unschedulable", "NoSchedule");
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      add(out, "node.kubernetes.io/network-unavailable", "NoSchedule");
    }
    return out;
  }

  private static void add(List<Toleration> tolerations, String key, String effect) {
    // replace a toleration of the same key and effect, as upstream's AddOrUpdateTolerationInPodSpec
    tolerations.removeIf(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
    tolerations.add(new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build());
  }

  /** A new pod of {@code ds} for {@code nodeName}, labelled with the revision {@code hash}. */
  static Pod newPod(DaemonSet ds, String nodeName, String hash) {
    var template = ds.getSpec().getTemplate();
    var tm = template.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(tm == null || tm.getLabels() == null ? Map.of() : tm.getLabels());
    labels.put(ControllerRevisions.HASH_LABEL, hash);
    PodSpec spec = JSON.clone(template.getSpec());
    spec.setTolerations(tolerations(spec));
    spec.setAffinity(pinnedTo(spec.getAffinity(), nodeName));
    var meta = new ObjectMetaBuilder().withGenerateName(ds.getMetadata().getName() + "-")
        .withNamespace(ds.getMetadata().getNamespace()).withLabels(labels)
        .withOwnerReferences(OwnerReferences.controllerRef(ds));
    if (tm != null) {
      meta.withAnnotations(tm.getAnnotations()).withFinalizers(tm.getFinalizers());
    }
    Pod pod = new Pod();
    pod.setMetadata(meta.build());
    pod.setSpec(spec);
    return pod;
  }

  /** Upstream's {@code ReplaceDaemonSetPodNodeNameNodeAffinity}: the required node terms become one matchFields term. */
  static Affinity pinnedTo(Affinity affinity, String nodeName) {
    Affinity out = affinity == null ? new Affinity() : affinity;
    NodeAffinity nodeAffinity = out.getNodeAffinity() == null ? new NodeAffinity() : out.getNodeAffinity();
    NodeSelectorRequirement byName = new NodeSelectorRequirementBuilder().withKey(NAME_FIELD).withOperator("In")
        .withValues(nodeName).build();
    nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelectorBuilder()
        .addNewNodeSelectorTerm().withMatchFields(byName).endNodeSelectorTerm().build());
    out.setNodeAffinity(nodeAffinity);
    return out;
  }

  /** The node a daemon pod is for: its {@code nodeName}, else its matchFields pin (upstream's {@code GetTargetNodeName}). */
  static Optional<String> targetNode(Pod pod) {
    String bound = pod.getSpec().getNodeName();
    if (bound != null && !bound.isEmpty()) {
      return Optional.of(bound);
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return Optional.empty();
    }
    List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    for (NodeSelectorTerm term : terms == null ? List.<NodeSelectorTerm>of() : terms) {
      for (NodeSelectorRequirement r : term.getMatchFields() == null ? List.<NodeSelectorRequirement>of() : term.getMatchFields()) {
        if (NAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null && r.getValues().size() == 1) {
          return Optional.of(r.getValues().getFirst());
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the pod was made from the revision with {@code hash}: upstream's {@code IsPodUpdated}. */
  static boolean isUpdated(Pod pod, String hash) {
    return hash.equals(ControllerRevisions.hashOf(pod));
  }
}
