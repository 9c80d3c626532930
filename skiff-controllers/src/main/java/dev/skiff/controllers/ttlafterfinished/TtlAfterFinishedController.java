package dev.skiff.controllers.ttlafterfinished;

import dev.skiff.controllers.Controller;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.base.ControllerLoop;
import dev.skiff.controllers.base.EnqueueOwnKey;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.job.JobConditions;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TTL-after-finished controller ({@code pkg/controller/ttlafterfinished}): a Job with
 * {@code spec.ttlSecondsAfterFinished} is deleted that many seconds after it finished (the
 * transition time of its Complete or Failed condition). A Job not yet expired is re-queued for
 * the moment it expires. Before deleting, the Job is read again from the API server, so a TTL
 * that was raised meanwhile is honoured. Skiff deletes with background propagation (the garbage
 * collector then removes the pods); upstream uses foreground.
 */
public final class TtlAfterFinishedController implements Controller, Reconciler {
  public static final String NAME = "ttl-after-finished-controller";
  private static final Logger LOG = LoggerFactory.getLogger(TtlAfterFinishedController.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<Job> jobs;
  private final InstantSource clock;
  private final ControllerLoop<ObjectKey> loop;
  private final int workers;

  public TtlAfterFinishedController(ControllerContext ctx) {
    Objects.requireNonNull(ctx, "ctx");
    this.client = ctx.client();
    this.jobs = ctx.informers().informer(Job.class);
    this.clock = ctx.clock();
    this.workers = ctx.config().workers();
    this.loop = ControllerLoop.of(NAME, this, clock);
    jobs.addEventHandler(EnqueueOwnKey.into(loop::enqueue));
  }

  /** When {@code job} expires, if it has a TTL and has finished. */
  static Optional<Instant> expiresAt(Job job) {
    Integer ttl = job.getSpec() == null ? null : job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null || job.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    return JobConditions.finishedAt(job).map(t -> t.plusSeconds(ttl));
  }

  @Override
  public Result reconcile(ObjectKey key) {
    Job cached = jobs.getIndexer().getByKey(key.cacheKey());
    Optional<Instant> expiry = cached == null ? Optional.empty() : expiresAt(cached);
    if (expiry.isEmpty()) {
      return Result.done();
    }
    Instant now = clock.instant();
    if (now.isBefore(expiry.get())) {
      return Result.requeueAfter(Duration.between(now, expiry.get()));
    }
    var api = client.batch().v1().jobs().inNamespace(key.namespace()).withName(key.name());
    Job fresh = api.get();
    if (fresh == null || !fresh.getMetadata().getUid().equals(cached.getMetadata().getUid())) {
      return Result.done();
    }
    Optional<Instant> freshExpiry = expiresAt(fresh);
    if (freshExpiry.isEmpty()) {
      return Result.done();
    }
    if (now.isBefore(freshExpiry.get())) {
      return Result.requeueAfter(Duration.between(now, freshExpiry.get()));
    }
    try {
      api.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      LOG.info("deleted finished job {} after its TTL", key);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    return Result.done();
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
