package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.history.ControllerRevisions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The stable identity of a StatefulSet's pods (upstream's {@code stateful_set_utils.go}): pod
 * {@code <set>-<ordinal>} with the pod-name and pod-index labels, hostname and subdomain from
 * {@code serviceName}, and one PersistentVolumeClaim {@code <template>-<set>-<ordinal>} per
 * volumeClaimTemplate, mounted as the template's volume name.
 */
final class StatefulIdentity {
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StatefulIdentity() {}

  static String podName(StatefulSet set, int ordinal) {
    return set.getMetadata().getName() + "-" + ordinal;
  }

  /** The ordinal of a pod named {@code <set>-<n>}; empty for any other name (not a member). */
  static OptionalInt ordinalOf(StatefulSet set, Pod pod) {
    String prefix = set.getMetadata().getName() + "-";
    String name = pod.getMetadata().getName();
    if (!name.startsWith(prefix) || name.length() == prefix.length()) {
      return OptionalInt.empty();
    }
    String digits = name.substring(prefix.length());
    if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 9 || (digits.length() > 1 && digits.startsWith("0"))) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(digits));
  }

  /** {@code spec.ordinals.start}, 0 when unset. */
  static int startOrdinal(StatefulSet set) {
    var ordinals = set.getSpec().getOrdinals();
    return ordinals == null || ordinals.getStart() == null ? 0 : ordinals.getStart();
  }

  static String claimName(PersistentVolumeClaim template, StatefulSet set, int ordinal) {
    return template.getMetadata().getName() + "-" + podName(set, ordinal);
  }

  /**
   * The claims the pod of {@code ordinal} mounts, as upstream's {@code getPersistentVolumeClaims}:
   * each template's spec and labels, plus the set's selector labels so the claims are found by it.
   */
  static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    List<PersistentVolumeClaim> out = new ArrayList<>();
    if (set.getSpec().getVolumeClaimTemplates() == null) {
      return out;
    }
    Map<String, String> selectorLabels = set.getSpec().getSelector() == null
        || set.getSpec().getSelector().getMatchLabels() == null ? Map.of() : set.getSpec().getSelector().getMatchLabels();
    for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
      Map<String, String> labels = new LinkedHashMap<>();
      if (template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      labels.putAll(selectorLabels);
      out.add(new PersistentVolumeClaimBuilder()
          .withMetadata(new ObjectMetaBuilder().withName(claimName(template, set, ordinal))
              .withNamespace(set.getMetadata().getNamespace()).withLabels(labels)
              .withAnnotations(template.getMetadata().getAnnotations()).build())
          .withSpec(JSON.clone(template.getSpec())).build());
    }
    return out;
  }

  /**
   * A new pod of {@code ordinal} from {@code template} (the current or the update revision's),
   * labelled with the revision's name as its {@value ControllerRevisions#HASH_LABEL}, as upstream
   * labels StatefulSet pods.
   */
  static Pod newPod(StatefulSet set, PodTemplateSpec template, int ordinal, String revisionName) {
    String name = podName(set, ordinal);
    var tm = template.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(tm == null || tm.getLabels() == null ? Map.of() : tm.getLabels());
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(ControllerRevisions.HASH_LABEL, revisionName);
    PodSpec spec = JSON.clone(template.getSpec());
    spec.setHostname(name);
    if (set.getSpec().getServiceName() != null && !set.getSpec().getServiceName().isEmpty()) {
      spec.setSubdomain(set.getSpec().getServiceName());
    }
    List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
    if (set.getSpec().getVolumeClaimTemplates() != null) {
      for (PersistentVolumeClaim claim : set.getSpec().getVolumeClaimTemplates()) {
        // the claim replaces any template volume of the same name, as upstream's updateStorage
        volumes.removeIf(v -> v.getName().equals(claim.getMetadata().getName()));
        volumes.add(new VolumeBuilder().withName(claim.getMetadata().getName())
            .withNewPersistentVolumeClaim().withClaimName(claimName(claim, set, ordinal)).endPersistentVolumeClaim().build());
      }
    }
    spec.setVolumes(volumes.isEmpty() ? null : volumes);
    var meta = new ObjectMetaBuilder().withName(name).withNamespace(set.getMetadata().getNamespace())
        .withLabels(labels).withOwnerReferences(OwnerReferences.controllerRef(set));
    if (tm != null) {
      meta.withAnnotations(tm.getAnnotations()).withFinalizers(tm.getFinalizers());
    }
    Pod pod = new Pod();
    pod.setMetadata(meta.build());
    pod.setSpec(spec);
    return pod;
  }

  /** The revision a pod was made from: its {@value ControllerRevisions#HASH_LABEL} label. */
  static String revisionOf(Pod pod) {
    return ControllerRevisions.hashOf(pod);
  }
}
