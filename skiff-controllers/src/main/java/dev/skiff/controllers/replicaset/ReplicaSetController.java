package dev.skiff.controllers.replicaset;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.Selectors;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ReplicaSet controller ({@code pkg/controller/replicaset}): informer events on ReplicaSets and
 * pods become ReplicaSet keys; {@link ReplicaSetSync} reconciles one key. Pod events also settle
 * the {@link Expectations} of the pod's controller, so a ReplicaSet is not re-synced while its own
 * creates and deletes are still on their way to the cache.
 */
public final class ReplicaSetController implements Controller {
  public static final String NAME = "replicaset-controller";

  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final Expectations expectations;
  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public ReplicaSetController(ControllerContext ctx) {
    Objects.requireNonNull(ctx, "ctx");
    SharedInformers informers = ctx.informers();
    this.replicaSets = informers.informer(ReplicaSet.class);
    this.pods = informers.informer(Pod.class);
    this.expectations = new Expectations(ctx.clock());
    this.workers = ctx.config().workers();
    ReplicaSetSync sync = new ReplicaSetSync(ctx.client(), replicaSets, pods, expectations,
        ctx.recorder(NAME), new ControllerRefClaim<>(ctx.client(), Pod.class), ctx.clock());
    this.loop = ControllerLoop.of(NAME, sync, ctx.clock());
    replicaSets.addEventHandler(
        EnqueueOwnKey.<ReplicaSet>into(loop::enqueue).alsoOnDelete(expectations::delete));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          // a restarted controller sees pods already being deleted: that is a deletion
          onDelete(pod, false);
          return;
        }
        Optional<ObjectKey> owner = controllingReplicaSet(pod);
        if (owner.isPresent()) {
          expectations.creationObserved(owner.get());
          loop.enqueue(owner.get());
        } else {
          matchingReplicaSets(pod).forEach(loop::enqueue);
        }
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
          return; // resync: nothing changed
        }
        if (pod.getMetadata().getDeletionTimestamp() != null && old.getMetadata().getDeletionTimestamp() == null) {
          // graceful deletion: the pod counts as gone now, as upstream
          controllingReplicaSet(pod).ifPresent(k -> expectations.deletionObserved(k, pod.getMetadata().getUid()));
        }
        Optional<ObjectKey> oldOwner = controllingReplicaSet(old);
        Optional<ObjectKey> owner = controllingReplicaSet(pod);
        if (oldOwner.isPresent() && !oldOwner.equals(owner)) {
          loop.enqueue(oldOwner.get());
        }
        if (owner.isPresent()) {
          loop.enqueue(owner.get());
        } else if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels()) || oldOwner.isPresent()) {
          matchingReplicaSets(pod).forEach(loop::enqueue);
        }
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        controllingReplicaSet(pod).ifPresent(k -> {
          expectations.deletionObserved(k, pod.getMetadata().getUid());
          loop.enqueue(k);
        });
      }
    });
  }

  /** The key of the ReplicaSet in the cache that controls {@code pod}, matched by uid. */
  private Optional<ObjectKey> controllingReplicaSet(Pod pod) {
    Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod).filter(r -> "ReplicaSet".equals(r.getKind()));
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    ObjectKey key = new ObjectKey(pod.getMetadata().getNamespace(), ref.get().getName());
    ReplicaSet rs = replicaSets.getIndexer().getByKey(key.cacheKey());
    return rs != null && ref.get().getUid().equals(rs.getMetadata().getUid()) ? Optional.of(key) : Optional.empty();
  }

  /** ReplicaSets whose selector matches an orphan pod: candidates to adopt it. */
  private List<ObjectKey> matchingReplicaSets(Pod pod) {
    return replicaSets.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, pod.getMetadata().getNamespace()).stream()
        .filter(rs -> Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels()))
        .map(ObjectKey::of).toList();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    loop.start(workers);
  }

  @Override
  public void close() {
    loop.close();
  }
}
