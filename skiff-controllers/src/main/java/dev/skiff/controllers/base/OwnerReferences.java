package dev.skiff.controllers.base;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Owner references: the controller reference, building one, and JSON patches that set the list. */
public final class OwnerReferences {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private OwnerReferences() {}

  public static List<OwnerReference> of(HasMetadata obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs;
  }

  /** The owner reference with controller=true, if any: upstream's {@code GetControllerOf}. */
  public static Optional<OwnerReference> controllerOf(HasMetadata obj) {
    return of(obj).stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  /** A reference that makes {@code owner} the controller of a dependent and blocks foreground deletion. */
  public static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  /**
   * A JSON patch that replaces {@code obj}'s owner references with {@code refs}, guarded by a
   * test of the uid so that a re-created object of the same name is never changed.
   */
  public static String setPatch(HasMetadata obj, List<OwnerReference> refs) {
    List<Object> ops = new ArrayList<>();
    ops.add(Map.of("op", "test", "path", "/metadata/uid", "value", obj.getMetadata().getUid()));
    ops.add(Map.of("op", "add", "path", "/metadata/ownerReferences", "value", refs));
    return JSON.asJson(ops);
  }

  /** {@link #setPatch} adding {@code ref}. */
  public static String addPatch(HasMetadata obj, OwnerReference ref) {
    List<OwnerReference> refs = new ArrayList<>(of(obj));
    refs.removeIf(r -> r.getUid().equals(ref.getUid()));
    refs.add(ref);
    return setPatch(obj, refs);
  }

  /** {@link #setPatch} without the references to any of {@code uids}. */
  public static String removePatch(HasMetadata obj, java.util.Collection<String> uids) {
    List<OwnerReference> refs = new ArrayList<>(of(obj));
    refs.removeIf(r -> uids.contains(r.getUid()));
    return setPatch(obj, refs);
  }
}
