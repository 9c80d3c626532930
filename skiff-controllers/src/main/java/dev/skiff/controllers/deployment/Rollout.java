package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.DeploymentConditions.PROGRESSING;

import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.OwnerReferences;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one Deployment sync (upstream's {@code sync.go}): the Deployment (the controller's
 * own copy, replaced after every write) and the ReplicaSets it controls. Works out the new and
 * old ReplicaSets, creates the new one, scales, cleans up history and writes the status.
 * Not thread-safe; one instance per reconcile.
 */
final class Rollout {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  /** Oldest first, then by name: upstream's {@code ReplicaSetsByCreationTimestamp}. */
  static final Comparator<ReplicaSet> BY_CREATION = Comparator
      .comparing((ReplicaSet r) -> r.getMetadata().getCreationTimestamp() == null ? "" : r.getMetadata().getCreationTimestamp())
      .thenComparing(r -> r.getMetadata().getName());

  /** The new ReplicaSet (null when none matches the template yet) and the others. */
  record Sets(ReplicaSet newRs, List<ReplicaSet> old) {
    List<ReplicaSet> all() {
      List<ReplicaSet> all = new ArrayList<>(old);
      if (newRs != null) {
        all.add(newRs);
      }
      return all;
    }
  }

  private final KubernetesClient client;
  private final EventRecorder events;
  private final InstantSource clock;
  Deployment d;
  final List<ReplicaSet> replicaSets;
  /** When set, the reconcile asks to run again after this long (progress deadline checks). */
  Duration requeueAfter;

  Rollout(KubernetesClient client, EventRecorder events, InstantSource clock, Deployment d, List<ReplicaSet> replicaSets) {
    this.client = client;
    this.events = events;
    this.clock = clock;
    this.d = new DeploymentBuilder(d).build();
    this.replicaSets = new ArrayList<>(replicaSets.stream().map(r -> new ReplicaSetBuilder(r).build()).toList());
  }

  Instant now() {
    return clock.instant();
  }

  /** Upstream's {@code getAllReplicaSetsAndSyncRevision}. */
  Sets sets(boolean createIfMissing) {
    List<ReplicaSet> sorted = new ArrayList<>(replicaSets);
    sorted.sort(BY_CREATION);
    ReplicaSet existing = sorted.stream()
        .filter(r -> PodTemplateHash.equalIgnoreHash(r.getSpec().getTemplate(), d.getSpec().getTemplate()))
        .findFirst().orElse(null);
    List<ReplicaSet> old = sorted.stream().filter(r -> r != existing).toList();
    return new Sets(newReplicaSet(existing, old, createIfMissing), old);
  }

  private ReplicaSet newReplicaSet(ReplicaSet existing, List<ReplicaSet> old, boolean create) {
    long newRevision = Revisions.maxRevision(old) + 1;
    if (existing != null) {
      ReplicaSet copy = new ReplicaSetBuilder(existing).build();
      boolean annotationsChanged = Revisions.setNewReplicaSetAnnotations(d, copy, newRevision, true);
      boolean minReadyChanged = !Objects.equals(n(copy.getSpec().getMinReadySeconds()), n(d.getSpec().getMinReadySeconds()));
      if (annotationsChanged || minReadyChanged) {
        copy.getSpec().setMinReadySeconds(d.getSpec().getMinReadySeconds());
        ReplicaSet updated = client.apps().replicaSets().inNamespace(namespace()).resource(copy).update();
        replace(existing, updated);
        return updated;
      }
      boolean statusChanged = false;
      if (DeploymentStatuses.hasProgressDeadline(d) && DeploymentConditions.get(d.getStatus(), PROGRESSING).isEmpty()) {
        DeploymentConditions.set(status(), DeploymentConditions.condition(PROGRESSING, "True",
            DeploymentConditions.FOUND_NEW_RS, "Found new replica set \"" + copy.getMetadata().getName() + "\"", now()));
        statusChanged = true;
      }
      syncRevision(copy.getMetadata().getAnnotations().get(Revisions.REVISION), statusChanged);
      return copy;
    }
    if (!create) {
      return null;
    }
    Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), collisions);
    Map<String, String> labels = new HashMap<>(d.getSpec().getTemplate().getMetadata() == null
        || d.getSpec().getTemplate().getMetadata().getLabels() == null ? Map.of() : d.getSpec().getTemplate().getMetadata().getLabels());
    labels.put(PodTemplateHash.LABEL, hash);
    var template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).editOrNewMetadata().withLabels(labels).endMetadata().build();
    var selector = new LabelSelectorBuilder(d.getSpec().getSelector()).addToMatchLabels(PodTemplateHash.LABEL, hash).build();
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName(d.getMetadata().getName() + "-" + hash)
        .withNamespace(namespace()).withLabels(labels).withOwnerReferences(OwnerReferences.controllerRef(d)).endMetadata()
        .withNewSpec().withReplicas(0).withMinReadySeconds(d.getSpec().getMinReadySeconds()).withSelector(selector)
        .withTemplate(template).endSpec().build();
    List<ReplicaSet> all = new ArrayList<>(old);
    all.add(rs);
    int size = ReplicaMath.newReplicaSetReplicas(d, all, rs);
    rs.getSpec().setReplicas(size);
    Revisions.setNewReplicaSetAnnotations(d, rs, newRevision, false);
    ReplicaSet created;
    boolean alreadyExisted = false;
    try {
      created = client.apps().replicaSets().inNamespace(namespace()).resource(rs).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        String msg = "Failed to create new replica set \"" + rs.getMetadata().getName() + "\": " + e.getMessage();
        if (DeploymentStatuses.hasProgressDeadline(d)) {
          DeploymentConditions.set(status(), DeploymentConditions.condition(PROGRESSING, "False", "ReplicaSetCreateError", msg, now()));
          writeStatus(d.getStatus());
        }
        events.event(d, EventRecorder.WARNING, "ReplicaSetCreateError", msg);
        throw e;
      }
      ReplicaSet found = client.apps().replicaSets().inNamespace(namespace()).withName(rs.getMetadata().getName()).get();
      boolean ours = found != null && OwnerReferences.controllerOf(found)
          .map(r -> r.getUid().equals(d.getMetadata().getUid())).orElse(false);
      if (!ours || !PodTemplateHash.equalIgnoreHash(d.getSpec().getTemplate(), found.getSpec().getTemplate())) {
        // a hash collision with someone else's ReplicaSet: count it, so the next hash differs
        status().setCollisionCount(collisions == null ? 1 : collisions + 1);
        writeStatus(d.getStatus());
        throw e;
      }
      created = found;
      alreadyExisted = true;
    }
    replicaSets.add(created);
    if (!alreadyExisted && size > 0) {
      events.event(d, EventRecorder.NORMAL, "ScalingReplicaSet",
          "Scaled up replica set %s from 0 to %d".formatted(created.getMetadata().getName(), size));
    }
    boolean statusChanged = false;
    if (!alreadyExisted && DeploymentStatuses.hasProgressDeadline(d)) {
      DeploymentConditions.set(status(), DeploymentConditions.condition(PROGRESSING, "True", DeploymentConditions.NEW_RS_CREATED,
          "Created new replica set \"" + created.getMetadata().getName() + "\"", now()));
      statusChanged = true;
    }
    syncRevision(Long.toString(newRevision), statusChanged);
    return created;
  }

  /**
   * Puts the new ReplicaSet's revision on the Deployment and writes a changed status. Upstream
   * writes both through deployments/status, whose strategy lets annotations through; Skiff's
   * status subresource keeps only status, so the annotation goes by a metadata patch.
   */
  private void syncRevision(String revision, boolean statusChanged) {
    Map<String, String> ann = d.getMetadata().getAnnotations();
    if (revision != null && (ann == null || !revision.equals(ann.get(Revisions.REVISION)))) {
      DeploymentStatus keep = d.getStatus();
      String patch = JSON.asJson(Map.of("metadata", Map.of("annotations", Map.of(Revisions.REVISION, revision))));
      d = client.apps().deployments().inNamespace(namespace()).withName(d.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      if (statusChanged) {
        d.setStatus(keep);
      }
    }
    if (statusChanged) {
      writeStatus(d.getStatus());
    }
  }

  /** Upstream's {@code scaleReplicaSetAndRecordEvent}: true when the size changed. */
  boolean scale(ReplicaSet rs, int newScale) {
    int current = ReplicaMath.replicas(rs);
    if (current == newScale) {
      return false;
    }
    return scale(rs, newScale, current < newScale ? "up" : "down");
  }

  /** Upstream's {@code scaleReplicaSet}: sets the size and the replicas annotations in one update. */
  boolean scale(ReplicaSet rs, int newScale, String operation) {
    int current = ReplicaMath.replicas(rs);
    int desired = ReplicaMath.replicas(d);
    int max = desired + ReplicaMath.maxSurge(d);
    boolean sizeChanged = current != newScale;
    if (!sizeChanged && !Revisions.replicasAnnotationsNeedUpdate(rs, desired, max)) {
      return false;
    }
    ReplicaSet copy = new ReplicaSetBuilder(rs).build();
    copy.getSpec().setReplicas(newScale);
    Revisions.setReplicasAnnotations(copy, desired, max);
    ReplicaSet updated = client.apps().replicaSets().inNamespace(namespace()).resource(copy).update();
    // keep the caller's view current, as the next steps of this sync read it
    rs.getSpec().setReplicas(newScale);
    rs.getMetadata().setAnnotations(updated.getMetadata().getAnnotations());
    rs.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    if (sizeChanged) {
      events.event(d, EventRecorder.NORMAL, "ScalingReplicaSet",
          "Scaled %s replica set %s from %d to %d".formatted(operation, rs.getMetadata().getName(), current, newScale));
    }
    return sizeChanged;
  }

  /** Upstream's {@code cleanupDeployment}: deletes the oldest empty ReplicaSets beyond revisionHistoryLimit. */
  void cleanup(List<ReplicaSet> old) {
    Integer limit = d.getSpec().getRevisionHistoryLimit();
    if (limit == null) {
      return;
    }
    List<ReplicaSet> cleanable = new ArrayList<>(old.stream().filter(r -> r.getMetadata().getDeletionTimestamp() == null).toList());
    int diff = cleanable.size() - limit;
    if (diff <= 0) {
      return;
    }
    cleanable.sort(Comparator.<ReplicaSet>comparingLong(Revisions::revision).thenComparing(BY_CREATION));
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = cleanable.get(i);
      long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0 : rs.getStatus().getObservedGeneration();
      if (ReplicaMath.actualSum(List.of(rs)) != 0 || ReplicaMath.replicas(rs) != 0
          || rs.getMetadata().getGeneration() > observed) {
        continue;
      }
      try {
        client.apps().replicaSets().inNamespace(namespace()).withName(rs.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  /** Upstream's {@code syncDeploymentStatus}: writes the calculated status if it changed. */
  void syncStatus(Sets sets) {
    DeploymentStatus next = DeploymentStatuses.calculate(sets.all(), sets.newRs(), d, now());
    if (!DeploymentStatuses.same(d.getStatus(), next)) {
      writeStatus(next);
    }
  }

  void writeStatus(DeploymentStatus status) {
    Deployment copy = new DeploymentBuilder(d).withStatus(status).build();
    d = client.apps().deployments().inNamespace(namespace()).resource(copy).updateStatus();
  }

  DeploymentStatus status() {
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatusBuilder().build());
    }
    return d.getStatus();
  }

  private void replace(ReplicaSet before, ReplicaSet after) {
    replicaSets.replaceAll(r -> r == before ? after : r);
  }

  String namespace() {
    return d.getMetadata().getNamespace();
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }
}
