package dev.skiff.controllers.history;

import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.deployment.PodTemplateHash;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's {@code pkg/controller/history} functions on ControllerRevisions that need no API
 * calls: the data a StatefulSet or DaemonSet revision stores (a strategic merge patch that
 * replaces {@code spec.template}, the same patch {@code kubectl rollout undo} applies), its
 * {@value #HASH_LABEL}, names {@code <owner>-<hash>}, revision numbers and ordering.
 */
public final class ControllerRevisions {
  /** Label on revisions and on the pods made from them: which revision a pod was made from. */
  public static final String HASH_LABEL = "controller-revision-hash";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  /** Oldest first; equal numbers by creation then name, as upstream's {@code byRevision}. */
  public static final Comparator<ControllerRevision> BY_REVISION = Comparator
      .comparingLong((ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
      .thenComparing(r -> String.valueOf(r.getMetadata().getCreationTimestamp()))
      .thenComparing(r -> r.getMetadata().getName());

  private ControllerRevisions() {}

  /** {@code {"spec":{"template":{..., "$patch":"replace"}}}}: upstream's {@code getPatch} of both controllers. */
  public static Map<String, Object> templatePatch(PodTemplateSpec template) {
    @SuppressWarnings("unchecked")
    Map<String, Object> t = new LinkedHashMap<>(JSON.unmarshal(JSON.asJson(template), Map.class));
    t.put("$patch", "replace");
    return Map.of("spec", Map.of("template", t));
  }

  /** The pod template a revision stores (the inverse of {@link #templatePatch}). */
  public static PodTemplateSpec templateOf(ControllerRevision revision) {
    Object data = revision.getData();
    if (data instanceof Map<?, ?> m && m.get("spec") instanceof Map<?, ?> spec && spec.get("template") instanceof Map<?, ?> t) {
      Map<Object, Object> copy = new HashMap<>(t);
      copy.remove("$patch");
      return JSON.unmarshal(JSON.asJson(copy), PodTemplateSpec.class);
    }
    throw new IllegalArgumentException("revision " + revision.getMetadata().getName() + " holds no spec.template");
  }

  /** Upstream's {@code HashControllerRevision}: the data's hash, salted with the collision count. */
  public static String hash(Object data, Integer collisionCount) {
    return PodTemplateHash.computeOf(data, collisionCount);
  }

  /** Upstream's {@code ControllerRevisionName}: the owner's name (cut to 223 characters), a dash, the hash. */
  public static String name(String ownerName, String hash) {
    String prefix = ownerName.length() > 223 ? ownerName.substring(0, 223) : ownerName;
    return prefix + "-" + hash;
  }

  /**
   * Upstream's {@code NewControllerRevision}: a revision controlled by {@code owner}, labelled with
   * the template's labels (so the owner's selector finds it, as kubectl's rollout history expects)
   * and the hash.
   */
  public static ControllerRevision newRevision(HasMetadata owner, Map<String, String> templateLabels, Object data,
      long revision, Integer collisionCount) {
    String hash = hash(data, collisionCount);
    Map<String, String> labels = new LinkedHashMap<>(templateLabels == null ? Map.of() : templateLabels);
    labels.put(HASH_LABEL, hash);
    return new ControllerRevisionBuilder()
        .withNewMetadata().withName(name(owner.getMetadata().getName(), hash))
        .withNamespace(owner.getMetadata().getNamespace()).withLabels(labels)
        .withOwnerReferences(OwnerReferences.controllerRef(owner)).endMetadata()
        .withData(data).withRevision(revision).build();
  }

  /** Whether two revisions store the same data (compared as canonical JSON, whatever the map types). */
  public static boolean equalData(ControllerRevision a, ControllerRevision b) {
    return PodTemplateHash.canonicalJson(a.getData()).equals(PodTemplateHash.canonicalJson(b.getData()));
  }

  /** One more than the highest revision number: upstream's {@code nextRevision}. */
  public static long nextRevision(List<ControllerRevision> revisions) {
    return revisions.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0) + 1;
  }

  /** The hash label of an object, or "" when it has none. */
  public static String hashOf(HasMetadata obj) {
    Map<String, String> labels = obj.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(HASH_LABEL, "");
  }
}
