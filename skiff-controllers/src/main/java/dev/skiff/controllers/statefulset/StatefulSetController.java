package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueControllerOf;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.history.RevisionHistory;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;

/**
 * The StatefulSet controller ({@code pkg/controller/statefulset}): events on StatefulSets, on the
 * pods and ControllerRevisions they control (or could adopt) become StatefulSet keys, and
 * {@link StatefulSetSync} reconciles one key. Claims are read from a PersistentVolumeClaim cache.
 */
public final class StatefulSetController implements Controller {
  public static final String NAME = "statefulset-controller";

  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public StatefulSetController(ControllerContext ctx) {
    Objects.requireNonNull(ctx, "ctx");
    SharedInformers informers = ctx.informers();
    SharedIndexInformer<StatefulSet> sets = informers.informer(StatefulSet.class);
    SharedIndexInformer<Pod> pods = informers.informer(Pod.class);
    SharedIndexInformer<ControllerRevision> revisions = informers.informer(ControllerRevision.class);
    SharedIndexInformer<PersistentVolumeClaim> claims = informers.informer(PersistentVolumeClaim.class);
    var events = ctx.recorder(NAME);
    StatefulSetSync sync = new StatefulSetSync(ctx.client(), sets, pods, new RevisionHistory(ctx.client(), revisions),
        new VolumeClaims(ctx.client(), claims, events), new StatefulPodControl(ctx.client(), events), ctx.clock());
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME, sync, ctx.clock());
    sets.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    var owners = new EnqueueControllerOf.Owners<StatefulSet>("StatefulSet", k -> sets.getIndexer().getByKey(k.cacheKey()),
        ns -> sets.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, ns), s -> s.getSpec().getSelector());
    pods.addEventHandler(EnqueueControllerOf.<StatefulSet, Pod>into(owners, loop::enqueue));
    revisions.addEventHandler(EnqueueControllerOf.<StatefulSet, ControllerRevision>into(owners, loop::enqueue));
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
