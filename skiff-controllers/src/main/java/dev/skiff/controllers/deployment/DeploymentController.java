package dev.skiff.controllers.deployment;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.Selectors;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.Optional;

/**
 * The Deployment controller ({@code pkg/controller/deployment}): Deployment and ReplicaSet events
 * (and pod deletions, which a Recreate rollout waits for) become Deployment keys;
 * {@link DeploymentSync} reconciles one key.
 */
public final class DeploymentController implements Controller {
  public static final String NAME = "deployment-controller";

  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public DeploymentController(ControllerContext ctx) {
    Objects.requireNonNull(ctx, "ctx");
    SharedInformers informers = ctx.informers();
    this.deployments = informers.informer(Deployment.class);
    this.replicaSets = informers.informer(ReplicaSet.class);
    SharedIndexInformer<Pod> pods = informers.informer(Pod.class);
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME,
        new DeploymentSync(ctx.client(), deployments, replicaSets, pods, ctx.recorder(NAME), ctx.clock()), ctx.clock());
    deployments.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    replicaSets.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        enqueueOwnerOrMatching(rs);
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet rs) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), rs.getMetadata().getResourceVersion())) {
          return;
        }
        Optional<ObjectKey> oldOwner = owningDeployment(old);
        if (oldOwner.isPresent() && !oldOwner.equals(owningDeployment(rs))) {
          loop.enqueue(oldOwner.get());
        }
        enqueueOwnerOrMatching(rs);
      }

      @Override
      public void onDelete(ReplicaSet rs, boolean unknownFinalState) {
        owningDeployment(rs).ifPresent(loop::enqueue);
      }
    });
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {}

      @Override
      public void onUpdate(Pod old, Pod pod) {}

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        // a Recreate rollout waits for the old pods to be gone
        OwnerReferences.controllerOf(pod).filter(r -> "ReplicaSet".equals(r.getKind())).ifPresent(ref -> {
          ReplicaSet rs = replicaSets.getIndexer().getByKey(pod.getMetadata().getNamespace() + "/" + ref.getName());
          if (rs != null) {
            owningDeployment(rs).ifPresent(loop::enqueue);
          }
        });
      }
    });
  }

  private void enqueueOwnerOrMatching(ReplicaSet rs) {
    Optional<ObjectKey> owner = owningDeployment(rs);
    if (owner.isPresent()) {
      loop.enqueue(owner.get());
    } else if (OwnerReferences.controllerOf(rs).isEmpty()) {
      deployments.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, rs.getMetadata().getNamespace()).stream()
          .filter(d -> Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels()))
          .forEach(d -> loop.enqueue(ObjectKey.of(d)));
    }
  }

  private Optional<ObjectKey> owningDeployment(HasMetadata rs) {
    return OwnerReferences.controllerOf(rs).filter(r -> "Deployment".equals(r.getKind())).flatMap(ref -> {
      ObjectKey key = new ObjectKey(rs.getMetadata().getNamespace(), ref.getName());
      Deployment d = deployments.getIndexer().getByKey(key.cacheKey());
      return d != null && ref.getUid().equals(d.getMetadata().getUid()) ? Optional.of(key) : Optional.empty();
    });
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
