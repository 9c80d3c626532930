package dev.skiff.controllers.job;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.Optional;

/**
 * The Job controller ({@code pkg/controller/job}): Job and pod events become Job keys and
 * {@link JobSync} reconciles one key. Pod events also settle the Job's {@link Expectations} (pods
 * created and deleted) and {@link FinalizerRemovals} (tracking finalizers removed), so a Job is
 * neither scaled nor counted from a cache that has not caught up with its own writes.
 */
public final class JobController implements Controller {
  public static final String NAME = "job-controller";

  private final SharedIndexInformer<Job> jobs;
  private final Expectations expectations;
  private final FinalizerRemovals removals = new FinalizerRemovals();
  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public JobController(ControllerContext ctx) {
    this(ctx, FailureBackoff.UPSTREAM);
  }

  /** With a failure back-off other than upstream's 10 s doubling (tests). */
  public JobController(ControllerContext ctx, FailureBackoff backoff) {
    Objects.requireNonNull(ctx, "ctx");
    this.jobs = ctx.informers().informer(Job.class);
    SharedIndexInformer<Pod> pods = ctx.informers().informer(Pod.class);
    this.expectations = new Expectations(ctx.clock());
    this.workers = ctx.config().workers();
    JobSync sync = new JobSync(ctx.client(), jobs, pods, expectations, removals, ctx.recorder(NAME), ctx.clock(), backoff);
    this.loop = ControllerLoop.of(NAME, sync, ctx.clock());
    jobs.addEventHandler(EnqueueOwnKey.<Job>into(loop::enqueue).alsoOnDelete(key -> {
      expectations.delete(key);
      removals.delete(key);
    }));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        controllingJob(pod).ifPresent(key -> {
          if (pod.getMetadata().getDeletionTimestamp() != null) {
            expectations.deletionObserved(key, pod.getMetadata().getUid());
          } else {
            expectations.creationObserved(key);
          }
          loop.enqueue(key);
        });
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
          return;
        }
        controllingJob(pod).or(() -> controllingJob(old)).ifPresent(key -> {
          if (pod.getMetadata().getDeletionTimestamp() != null) {
            expectations.deletionObserved(key, pod.getMetadata().getUid());
          }
          if (!JobPods.hasTrackingFinalizer(pod)) {
            removals.observed(key, pod.getMetadata().getUid());
          }
          loop.enqueue(key);
        });
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        controllingJob(pod).ifPresent(key -> {
          expectations.deletionObserved(key, pod.getMetadata().getUid());
          removals.observed(key, pod.getMetadata().getUid());
          loop.enqueue(key);
        });
      }
    });
  }

  /** The key of the Job that controls {@code pod}, by its controller reference. */
  private static Optional<ObjectKey> controllingJob(Pod pod) {
    return OwnerReferences.controllerOf(pod).filter(r -> "Job".equals(r.getKind()))
        .map(r -> new ObjectKey(pod.getMetadata().getNamespace(), r.getName()));
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
