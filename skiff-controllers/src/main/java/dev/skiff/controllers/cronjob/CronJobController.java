package dev.skiff.controllers.cronjob;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The CronJob controller ({@code pkg/controller/cronjob}, the v2 controller): CronJob events and
 * events of the Jobs a CronJob controls become CronJob keys; {@link CronJobSync} reconciles one
 * and asks to be re-queued at the next schedule time (a delayed add on the work queue), so no
 * CronJob is polled. Time comes from {@link ControllerContext#clock()}; a schedule without a time
 * zone is read in UTC, the controller manager's zone in Skiff.
 */
public final class CronJobController implements Controller {
  public static final String NAME = "cronjob-controller";

  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public CronJobController(ControllerContext ctx) {
    this(ctx, ZoneOffset.UTC);
  }

  public CronJobController(ControllerContext ctx, ZoneId defaultZone) {
    Objects.requireNonNull(ctx, "ctx");
    SharedIndexInformer<CronJob> cronJobs = ctx.informers().informer(CronJob.class);
    SharedIndexInformer<Job> jobs = ctx.informers().informer(Job.class);
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME,
        new CronJobSync(ctx.client(), cronJobs, jobs, ctx.recorder(NAME), ctx.clock(), defaultZone), ctx.clock());
    cronJobs.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
    jobs.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        enqueueOwner(job);
      }

      @Override
      public void onUpdate(Job old, Job job) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), job.getMetadata().getResourceVersion())) {
          enqueueOwner(job);
        }
      }

      @Override
      public void onDelete(Job job, boolean unknownFinalState) {
        enqueueOwner(job);
      }
    });
  }

  private void enqueueOwner(Job job) {
    OwnerReferences.controllerOf(job).filter(r -> "CronJob".equals(r.getKind()))
        .ifPresent(r -> loop.enqueue(new ObjectKey(job.getMetadata().getNamespace(), r.getName())));
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
