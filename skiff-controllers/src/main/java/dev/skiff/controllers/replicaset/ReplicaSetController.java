package dev.skiff.controllers.replicaset;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.EnqueueControllerOf;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;

/**
 * The ReplicaSet controller ({@code pkg/controller/replicaset}): informer events on ReplicaSets and
 * pods become ReplicaSet keys; {@link ReplicaSetSync} reconciles one key. Pod events also settle
 * the {@link Expectations} of the pod's controller, so a ReplicaSet is not re-synced while its own
 * creates and deletes are still on their way to the cache. The same controller runs over
 * ReplicationControllers through another {@link ReplicatedKind}.
 */
public final class ReplicaSetController implements Controller {
  public static final String NAME = "replicaset-controller";

  private final String name;
  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public ReplicaSetController(ControllerContext ctx) {
    this(ctx, NAME, new ReplicaSetKind(ctx.client(), ctx.informers()));
  }

  /** The controller named {@code name} over {@code kind}. */
  public ReplicaSetController(ControllerContext ctx, String name, ReplicatedKind kind) {
    Objects.requireNonNull(ctx, "ctx");
    this.name = Objects.requireNonNull(name, "name");
    SharedIndexInformer<Pod> pods = ctx.informers().informer(Pod.class);
    Expectations expectations = new Expectations(ctx.clock());
    this.workers = ctx.config().workers();
    ReplicaSetSync sync = new ReplicaSetSync(ctx.client(), kind, pods, expectations,
        ctx.recorder(name), new ControllerRefClaim<>(ctx.client(), Pod.class), ctx.clock());
    this.loop = ControllerLoop.of(name, sync, ctx.clock());
    kind.informer().addEventHandler(
        EnqueueOwnKey.<HasMetadata>into(loop::enqueue).alsoOnDelete(expectations::delete));
    var owners = new EnqueueControllerOf.Owners<ReplicaSet>(kind.kind(), k -> kind.cached(k.namespace(), k.name()),
        kind::cachedIn, rs -> rs.getSpec().getSelector());
    pods.addEventHandler(EnqueueControllerOf.<ReplicaSet, Pod>into(owners, loop::enqueue).observedBy(expectations));
  }

  @Override
  public String name() {
    return name;
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
