package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.DeploymentConditions.PROGRESSING;

import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One sync of one Deployment (upstream's {@code syncDeployment}): claim ReplicaSets, then, in
 * upstream's order, status only while being deleted, scale only while paused or when only
 * {@code spec.replicas} changed, else roll out by the strategy (Recreate or RollingUpdate).
 * Rollbacks need nothing here: {@code kubectl rollout undo} patches the template client-side, and
 * the old ReplicaSet it matches becomes the new one again with the next revision.
 */
final class DeploymentSync implements Reconciler {
  private final KubernetesClient client;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;
  private final ControllerRefClaim<ReplicaSet> claim;
  private final InstantSource clock;

  DeploymentSync(KubernetesClient client, SharedIndexInformer<Deployment> deployments,
      SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods, EventRecorder events, InstantSource clock) {
    this.client = client;
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.events = events;
    this.claim = new ControllerRefClaim<>(client, ReplicaSet.class);
    this.clock = clock;
  }

  @Override
  public Result reconcile(ObjectKey key) {
    Deployment cached = deployments.getIndexer().getByKey(key.cacheKey());
    if (cached == null) {
      return Result.done();
    }
    Deployment d = new DeploymentBuilder(cached).build();
    var selector = d.getSpec().getSelector();
    if (selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()))) {
      events.event(d, EventRecorder.WARNING, "SelectingAll",
          "This deployment is selecting all pods. A non-empty selector is required.");
      return Result.done();
    }
    List<ReplicaSet> owned = claim.claim(d, selector,
        replicaSets.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace()), () -> canAdopt(d));
    Rollout r = new Rollout(client, events, clock, d, owned);
    if (d.getMetadata().getDeletionTimestamp() != null) {
      r.syncStatus(r.sets(false));
      return Result.done();
    }
    checkPausedConditions(r);
    if (Boolean.TRUE.equals(r.d.getSpec().getPaused())) {
      scaleOnly(r);
    } else if (ProportionalScaling.isScalingEvent(r, r.sets(false))) {
      scaleOnly(r);
    } else if (ReplicaMath.isRollingUpdate(r.d)) {
      RollingUpdate.run(r);
    } else {
      Recreate.run(r, podsByReplicaSet(key.namespace(), r.replicaSets));
    }
    return r.requeueAfter == null ? Result.done() : Result.requeueAfter(r.requeueAfter);
  }

  /** Upstream's {@code sync}: proportional scaling, history cleanup while paused, status. */
  private static void scaleOnly(Rollout r) {
    Rollout.Sets sets = r.sets(false);
    ProportionalScaling.scale(r, sets);
    if (Boolean.TRUE.equals(r.d.getSpec().getPaused())) {
      r.cleanup(sets.old());
    }
    r.syncStatus(sets);
  }

  /** Upstream's {@code checkPausedConditions}: Progressing Unknown while paused, and on resume. */
  private static void checkPausedConditions(Rollout r) {
    if (!DeploymentStatuses.hasProgressDeadline(r.d)) {
      return;
    }
    var current = DeploymentConditions.get(r.d.getStatus(), PROGRESSING);
    if (current.isPresent() && DeploymentConditions.TIMED_OUT.equals(current.get().getReason())) {
      return;
    }
    boolean pausedCondition = current.isPresent() && DeploymentConditions.PAUSED.equals(current.get().getReason());
    boolean paused = Boolean.TRUE.equals(r.d.getSpec().getPaused());
    if (paused && !pausedCondition) {
      DeploymentConditions.set(r.status(), DeploymentConditions.condition(PROGRESSING, "Unknown",
          DeploymentConditions.PAUSED, "Deployment is paused", r.now()));
    } else if (!paused && pausedCondition) {
      DeploymentConditions.set(r.status(), DeploymentConditions.condition(PROGRESSING, "Unknown",
          DeploymentConditions.RESUMED, "Deployment is resumed", r.now()));
    } else {
      return;
    }
    r.writeStatus(r.d.getStatus());
  }

  private boolean canAdopt(Deployment d) {
    Deployment fresh = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName()).get();
    return fresh != null && Objects.equals(fresh.getMetadata().getUid(), d.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  private Map<String, List<Pod>> podsByReplicaSet(String namespace, List<ReplicaSet> rss) {
    Set<String> uids = rss.stream().map(r -> r.getMetadata().getUid()).collect(Collectors.toSet());
    Map<String, List<Pod>> out = new HashMap<>();
    for (Pod p : pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, namespace)) {
      OwnerReferences.controllerOf(p).filter(ref -> uids.contains(ref.getUid()))
          .ifPresent(ref -> out.computeIfAbsent(ref.getUid(), k -> new java.util.ArrayList<>()).add(p));
    }
    return out;
  }
}
