package dev.skiff.controllers.daemon;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueControllerOf;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.history.RevisionHistory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;

/**
 * The DaemonSet controller ({@code pkg/controller/daemon}): events on DaemonSets and on the pods
 * and ControllerRevisions they control become DaemonSet keys; a node that appears, disappears or
 * changes its labels, taints or schedulability queues every DaemonSet, since any may now want it.
 * {@link DaemonSetSync} reconciles one key.
 */
public final class DaemonSetController implements Controller {
  public static final String NAME = "daemonset-controller";

  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public DaemonSetController(ControllerContext ctx) {
    Objects.requireNonNull(ctx, "ctx");
    SharedInformers informers = ctx.informers();
    SharedIndexInformer<DaemonSet> sets = informers.informer(DaemonSet.class);
    SharedIndexInformer<Pod> pods = informers.informer(Pod.class);
    SharedIndexInformer<Node> nodes = informers.informer(Node.class);
    SharedIndexInformer<ControllerRevision> revisions = informers.informer(ControllerRevision.class);
    Expectations expectations = new Expectations(ctx.clock());
    DaemonSetSync sync = new DaemonSetSync(ctx.client(), sets, pods, nodes, new RevisionHistory(ctx.client(), revisions),
        expectations, ctx.recorder(NAME), ctx.clock());
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME, sync, ctx.clock());
    sets.addEventHandler(EnqueueOwnKey.<DaemonSet>into(loop::enqueue).alsoOnDelete(expectations::delete));
    var owners = new EnqueueControllerOf.Owners<DaemonSet>("DaemonSet", k -> sets.getIndexer().getByKey(k.cacheKey()),
        ns -> sets.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, ns), ds -> ds.getSpec().getSelector());
    pods.addEventHandler(EnqueueControllerOf.<DaemonSet, Pod>into(owners, loop::enqueue).observedBy(expectations));
    revisions.addEventHandler(EnqueueControllerOf.<DaemonSet, ControllerRevision>into(owners, loop::enqueue));
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        sets.getIndexer().list().forEach(ds -> loop.enqueue(ObjectKey.of(ds)));
      }

      @Override
      public void onUpdate(Node old, Node node) {
        // status heartbeats change nothing a DaemonSet decides on, as upstream's shouldIgnoreNodeUpdate
        if (!Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())
            || !Objects.equals(old.getSpec(), node.getSpec())) {
          onAdd(node);
        }
      }

      @Override
      public void onDelete(Node node, boolean unknownFinalState) {
        onAdd(node);
      }
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
