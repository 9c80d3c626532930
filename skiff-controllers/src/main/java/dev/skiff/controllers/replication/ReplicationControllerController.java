package dev.skiff.controllers.replication;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.replicaset.ReplicaSetController;

/**
 * The ReplicationController controller (upstream's {@code ReplicationManager}): the ReplicaSet
 * controller run over ReplicationControllers through {@link ReplicationControllerKind}, with its
 * own name, queue and expectations.
 */
public final class ReplicationControllerController implements Controller {
  public static final String NAME = "replicationcontroller-controller";

  private final ReplicaSetController delegate;

  public ReplicationControllerController(ControllerContext ctx) {
    this.delegate = new ReplicaSetController(ctx, NAME, new ReplicationControllerKind(ctx.client(), ctx.informers()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
