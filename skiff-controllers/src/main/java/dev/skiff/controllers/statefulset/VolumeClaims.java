package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The PersistentVolumeClaims of a StatefulSet's pods: created before the pod that mounts them and
 * never deleted by this controller. {@code persistentVolumeClaimRetentionPolicy} is honoured the
 * way upstream does it, through owner references the garbage collector acts on: {@code
 * whenDeleted: Delete} makes the set an owner of every claim, {@code whenScaled: Delete} makes a
 * condemned pod (an ordinal beyond {@code replicas}) the owner of its claims before it is deleted.
 */
final class VolumeClaims {
  static final String DELETE = "Delete";

  private final KubernetesClient client;
  private final SharedIndexInformer<PersistentVolumeClaim> cache;
  private final EventRecorder events;

  VolumeClaims(KubernetesClient client, SharedIndexInformer<PersistentVolumeClaim> cache, EventRecorder events) {
    this.client = Objects.requireNonNull(client, "client");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.events = Objects.requireNonNull(events, "events");
  }

  /** Creates the missing claims of {@code ordinal}'s pod, owned as the retention policy asks (upstream's {@code createPersistentVolumeClaims}). */
  void ensure(StatefulSet set, int ordinal) {
    for (PersistentVolumeClaim claim : StatefulIdentity.claims(set, ordinal)) {
      String ns = claim.getMetadata().getNamespace();
      if (cache.getIndexer().getByKey(ns + "/" + claim.getMetadata().getName()) != null) {
        continue;
      }
      if (DELETE.equals(whenDeleted(set))) {
        claim.getMetadata().setOwnerReferences(List.of(ownerRef(set)));
      }
      String what = "Claim " + claim.getMetadata().getName() + " Pod " + StatefulIdentity.podName(set, ordinal)
          + " in StatefulSet " + set.getMetadata().getName();
      try {
        client.persistentVolumeClaims().inNamespace(ns).resource(claim).create();
        events.event(set, EventRecorder.NORMAL, "SuccessfulCreate", "create " + what + " success");
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          continue; // created by an earlier sync the cache has not shown yet
        }
        events.event(set, EventRecorder.WARNING, "FailedCreate", "create " + what + " failed error: " + e.getMessage());
        throw e;
      }
    }
  }

  /** Before a condemned pod is deleted: with {@code whenScaled: Delete} its claims become the pod's, so they go with it. */
  void condemn(StatefulSet set, Pod pod, int ordinal) {
    if (!DELETE.equals(whenScaled(set))) {
      return;
    }
    for (PersistentVolumeClaim wanted : StatefulIdentity.claims(set, ordinal)) {
      PersistentVolumeClaim claim = cache.getIndexer().getByKey(wanted.getMetadata().getNamespace() + "/"
          + wanted.getMetadata().getName());
      if (claim == null || OwnerReferences.of(claim).stream().anyMatch(r -> r.getUid().equals(pod.getMetadata().getUid()))) {
        continue;
      }
      List<OwnerReference> refs = new ArrayList<>(OwnerReferences.of(claim));
      refs.add(ownerRef(pod));
      patchRefs(claim, refs);
    }
  }

  /**
   * Keeps the set's owner reference on the claims of a live ordinal in line with {@code
   * whenDeleted}, also for claims made before the policy changed: present for Delete, absent for
   * Retain.
   */
  void matchSetOwnership(StatefulSet set, int ordinal) {
    boolean wanted = DELETE.equals(whenDeleted(set));
    String setUid = set.getMetadata().getUid();
    for (PersistentVolumeClaim desired : StatefulIdentity.claims(set, ordinal)) {
      PersistentVolumeClaim claim = cache.getIndexer().getByKey(desired.getMetadata().getNamespace() + "/"
          + desired.getMetadata().getName());
      if (claim == null) {
        continue;
      }
      boolean has = OwnerReferences.of(claim).stream().anyMatch(r -> setUid.equals(r.getUid()));
      if (wanted && !has) {
        List<OwnerReference> refs = new ArrayList<>(OwnerReferences.of(claim));
        refs.add(ownerRef(set));
        patchRefs(claim, refs);
      } else if (!wanted && has) {
        patchRefs(claim, OwnerReferences.of(claim).stream().filter(r -> !setUid.equals(r.getUid())).toList());
      }
    }
  }

  private void patchRefs(PersistentVolumeClaim claim, List<OwnerReference> refs) {
    try {
      client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
          .withName(claim.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), OwnerReferences.setPatch(claim, refs));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 422) {
        throw e;
      }
    }
  }

  /** An owner reference that is not the claim's controller: the claim has no controller, only owners to outlive. */
  private static OwnerReference ownerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
  }

  private static String whenDeleted(StatefulSet set) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p == null || p.getWhenDeleted() == null ? "Retain" : p.getWhenDeleted();
  }

  private static String whenScaled(StatefulSet set) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p == null || p.getWhenScaled() == null ? "Retain" : p.getWhenScaled();
  }
}
