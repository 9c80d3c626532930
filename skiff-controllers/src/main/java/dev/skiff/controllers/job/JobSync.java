package dev.skiff.controllers.job;

import dev.skiff.controllers.base.ControllerRefClaim;
import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.Expectations;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.PodConditions;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One sync of one Job (upstream's {@code syncJob}): count finished pods through the tracking
 * finalizer ({@link PodTally}), decide whether the Job has failed (pod failure policy, backoff
 * limit, active deadline) or succeeded, otherwise create or delete pods ({@link PodScaling}),
 * then write the status once. Terminal conditions come in two steps as upstream: FailureTarget
 * or SuccessCriteriaMet first, Failed or Complete once no pod of the Job runs any more.
 * Every status write carries the cached resourceVersion, so a stale cache conflicts instead of
 * counting a pod twice.
 */
final class JobSync implements Reconciler {
  private final KubernetesClient client;
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private final Expectations expectations;
  private final FinalizerRemovals removals;
  private final EventRecorder events;
  private final ControllerRefClaim<Pod> claim;
  private final PodScaling scaling;
  private final InstantSource clock;
  private final FailureBackoff backoff;

  JobSync(KubernetesClient client, SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods, Expectations expectations,
      FinalizerRemovals removals, EventRecorder events, InstantSource clock, FailureBackoff backoff) {
    this.client = client;
    this.jobs = jobs;
    this.pods = pods;
    this.expectations = expectations;
    this.removals = removals;
    this.events = events;
    this.claim = new ControllerRefClaim<>(client, Pod.class);
    this.scaling = new PodScaling(client, expectations, removals, events);
    this.clock = clock;
    this.backoff = backoff;
  }

  @Override
  public Result reconcile(ObjectKey key) throws Exception {
    Job cached = jobs.getIndexer().getByKey(key.cacheKey());
    if (cached == null) {
      expectations.delete(key);
      removals.delete(key);
      releaseOrphans(key);
      return Result.done();
    }
    if (!JobSpecView.managedHere(cached)) {
      return Result.done();
    }
    Instant now = clock.instant();
    List<Pod> candidates = pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace());
    List<Pod> owned = claim.claim(cached, cached.getSpec().getSelector(), candidates, () -> canAdopt(cached));
    if (JobConditions.isFinished(cached)) {
      // leftovers (a pod that finished late): release them without counting, as upstream
      scaling.unfinalize(key, owned.stream().filter(JobPods::hasTrackingFinalizer)
          .filter(p -> !removals.pending(key).contains(p.getMetadata().getUid())).toList());
      return Result.done();
    }
    boolean satisfied = expectations.satisfied(key);

    // 1. count finished pods: persist their uids, drop their finalizers, then move them to the counters
    PodTally tally = PodTally.of(cached, owned, removals.pending(key));
    final Job job = tally.changed() ? writeStatus(cached, new JobStatusBuilder(statusOf(cached))
        .withUncountedTerminatedPods(tally.uncounted())
        .withCompletedIndexes(JobSpecView.indexed(cached) ? tally.completed().toString() : null).build()) : cached;
    Set<String> unfinalized = scaling.unfinalize(key, tally.toUnfinalize());
    Set<String> pending = removals.pending(key);
    Map<String, Pod> byUid = owned.stream().collect(Collectors.toMap(p -> p.getMetadata().getUid(), Function.identity()));
    Predicate<String> released = uid -> unfinalized.contains(uid) || pending.contains(uid)
        || !byUid.containsKey(uid) || !JobPods.hasTrackingFinalizer(byUid.get(uid));
    JobStatus old = statusOf(job);
    Set<String> stillSucceeded = new HashSet<>(tally.succeeded());
    Set<String> stillFailed = new HashSet<>(tally.failed());
    stillSucceeded.removeIf(released);
    stillFailed.removeIf(released);
    int succeededCounted = JobSpecView.indexed(job) ? tally.completed().count()
        : n(old.getSucceeded()) + tally.succeeded().size() - stillSucceeded.size();
    int failedCounted = n(old.getFailed()) + tally.failed().size() - stillFailed.size();
    int succeeded = JobSpecView.indexed(job) ? succeededCounted : succeededCounted + stillSucceeded.size();
    int failed = failedCounted + stillFailed.size();
    boolean uncountedEmpty = stillSucceeded.isEmpty() && stillFailed.isEmpty();

    // 2. the pods as they are now
    List<Pod> active = owned.stream().filter(PodConditions::isActive).toList();
    // a terminating pod whose finalizer this sync removed is gone (unbound) or no longer the Job's concern
    long terminating = owned.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null && !JobPods.isTerminal(p))
        .filter(p -> !unfinalized.contains(p.getMetadata().getUid())).count();

    Optional<IndexFailures> indexFailures = IndexFailures.of(job, owned, tally.completed());

    // 3. failure or success
    List<JobCondition> conditions = JobConditions.of(job);
    final Instant started = old.getStartTime() == null ? null : Instant.parse(old.getStartTime());
    Instant startTime = started;
    List<Runnable> afterWrite = new ArrayList<>();
    Optional<JobConditions.Verdict> failure = JobConditions.trueCondition(conditions, JobConditions.FAILURE_TARGET)
        .map(c -> new JobConditions.Verdict(Objects.toString(c.getReason(), ""), Objects.toString(c.getMessage(), "")))
        .or(tally::failJob)
        .or(() -> indexFailures.flatMap(f -> f.verdict(job, tally.completed())))
        .or(() -> failed + restarts(job, active) > JobSpecView.backoffLimit(job)
            ? Optional.of(new JobConditions.Verdict(JobConditions.BACKOFF_LIMIT_EXCEEDED, JobConditions.BACKOFF_LIMIT_MESSAGE))
            : Optional.empty())
        .or(() -> deadlinePassed(job, started, now)
            ? Optional.of(new JobConditions.Verdict(JobConditions.DEADLINE_EXCEEDED, JobConditions.DEADLINE_MESSAGE))
            : Optional.empty());
    // a success found by an earlier sync keeps its reason (CompletionsReached or SuccessPolicy) up to Complete
    Optional<JobConditions.Verdict> success = failure.isPresent() ? Optional.empty()
        : JobConditions.trueCondition(conditions, JobConditions.SUCCESS_CRITERIA_MET)
            .map(c -> new JobConditions.Verdict(Objects.toString(c.getReason(), ""), Objects.toString(c.getMessage(), "")))
            .or(() -> SuccessPolicyMatch.match(job, tally.completed()))
            .or(() -> completionsReached(job, succeeded, tally.completed(), active.size())
                ? Optional.of(new JobConditions.Verdict(JobConditions.COMPLETIONS_REACHED, JobConditions.COMPLETIONS_MESSAGE))
                : Optional.empty());
    boolean complete = success.isPresent();
    Duration requeue = null;
    String completionTime = old.getCompletionTime();
    int activeAfter = active.size();
    if (failure.isPresent() || complete) {
      String target = failure.isPresent() ? JobConditions.FAILURE_TARGET : JobConditions.SUCCESS_CRITERIA_MET;
      JobConditions.Verdict v = failure.orElseGet(success::orElseThrow);
      conditions = JobConditions.with(conditions, target, "True", v.reason(), v.message(), now);
      if (!active.isEmpty()) {
        scaling.delete(key, job, active);
        activeAfter = 0;
      } else if (terminating == 0 && uncountedEmpty) {
        String type = failure.isPresent() ? JobConditions.FAILED : JobConditions.COMPLETE;
        conditions = JobConditions.with(conditions, type, "True", v.reason(), v.message(), now);
        Job about = job;
        if (failure.isPresent()) {
          afterWrite.add(() -> events.event(about, EventRecorder.WARNING, v.reason(), v.message()));
        } else {
          completionTime = timestamp(now);
          afterWrite.add(() -> events.event(about, EventRecorder.NORMAL, "Completed", "Job completed"));
        }
      }
    } else if (JobSpecView.suspended(job)) {
      if (satisfied && !active.isEmpty()) {
        scaling.delete(key, job, active);
        activeAfter = 0;
      }
      List<JobCondition> before = conditions;
      conditions = JobConditions.with(conditions, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now);
      if (conditions != before) {
        Job about = job;
        afterWrite.add(() -> events.event(about, EventRecorder.NORMAL, "Suspended", "Job suspended"));
      }
    } else {
      if (JobConditions.trueCondition(conditions, JobConditions.SUSPENDED).isPresent()) {
        conditions = JobConditions.with(conditions, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now);
        Job about = job;
        afterWrite.add(() -> events.event(about, EventRecorder.NORMAL, "Resumed", "Job resumed"));
        startTime = now; // the active deadline counts again from the resume, as upstream
      } else if (startTime == null) {
        startTime = now;
      }
      if (satisfied && job.getMetadata().getDeletionTimestamp() == null) {
        List<Pod> finished = owned.stream().filter(JobPods::isTerminal).toList();
        Duration wait = backoff.remaining(finished, now);
        PodScaling.Outcome outcome = scaling.scale(key, job, active, (int) terminating, succeeded, tally.completed(),
            indexFailures, wait.isZero());
        activeAfter = outcome.activeAfter();
        if (outcome.heldBack()) {
          requeue = wait;
        }
      }
      Integer ads = job.getSpec().getActiveDeadlineSeconds() == null ? null : job.getSpec().getActiveDeadlineSeconds().intValue();
      if (ads != null) {
        Duration left = Duration.between(now, startTime.plusSeconds(ads));
        requeue = requeue == null || left.compareTo(requeue) < 0 ? left : requeue;
      }
    }

    // 4. status, once
    int ready = (int) active.stream().filter(PodConditions::isReady).count();
    JobStatus status = new JobStatusBuilder(old)
        .withActive(activeAfter).withReady(Math.min(ready, activeAfter)).withTerminating((int) terminating)
        .withSucceeded(succeededCounted).withFailed(failedCounted)
        .withUncountedTerminatedPods(new UncountedTerminatedPods(
            List.copyOf(stillFailed), List.copyOf(stillSucceeded)))
        .withCompletedIndexes(JobSpecView.indexed(job) ? tally.completed().toString() : null)
        .withFailedIndexes(indexFailures.map(f -> f.failed().toString()).orElse(old.getFailedIndexes()))
        .withStartTime(startTime == null ? null : timestamp(startTime))
        .withCompletionTime(completionTime)
        .withConditions(conditions).build();
    if (!same(old, status)) {
      writeStatus(job, status);
    }
    afterWrite.forEach(Runnable::run);
    if (requeue != null) {
      return Result.requeueAfter(requeue.isNegative() ? Duration.ZERO : requeue.plusMillis(100));
    }
    return Result.done();
  }

  /**
   * Removes the tracking finalizer from pods whose Job is gone (deleted with background or orphan
   * propagation while they ran), as upstream's {@code handleOrphanPod}; otherwise they could never
   * be deleted. The API server is asked first, since the cache may not have seen a new Job yet.
   */
  private void releaseOrphans(ObjectKey key) {
    List<Pod> orphans = pods.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace()).stream()
        .filter(JobPods::hasTrackingFinalizer)
        .filter(p -> OwnerReferences.controllerOf(p).map(r -> "Job".equals(r.getKind()) && key.name().equals(r.getName()))
            .orElse(false)).toList();
    if (orphans.isEmpty()) {
      return;
    }
    Job live = client.batch().v1().jobs().inNamespace(key.namespace()).withName(key.name()).get();
    String liveUid = live == null ? null : live.getMetadata().getUid();
    scaling.unfinalize(key, orphans.stream()
        .filter(p -> !OwnerReferences.controllerOf(p).orElseThrow().getUid().equals(liveUid)).toList());
    removals.delete(key);
  }

  private boolean canAdopt(Job job) {
    Job fresh = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()).get();
    return fresh != null && Objects.equals(fresh.getMetadata().getUid(), job.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  /** For restartPolicy OnFailure, container restarts count towards the backoff limit, as upstream. */
  private static int restarts(Job job, List<Pod> active) {
    if (!"OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())) {
      return 0;
    }
    return active.stream().filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .mapToInt(cs -> cs.getRestartCount() == null ? 0 : cs.getRestartCount()).sum();
  }

  private static boolean deadlinePassed(Job job, Instant startTime, Instant now) {
    Long ads = job.getSpec().getActiveDeadlineSeconds();
    return ads != null && startTime != null && !JobSpecView.suspended(job) && !now.isBefore(startTime.plusSeconds(ads));
  }

  private static boolean completionsReached(Job job, int succeeded, CompletedIndexes completed, int active) {
    Optional<Integer> completions = JobSpecView.completions(job);
    if (JobSpecView.indexed(job)) {
      return completed.count() >= completions.orElse(0);
    }
    if (completions.isPresent()) {
      return succeeded >= completions.get();
    }
    // a work-queue Job (no completions) is done once one pod succeeded and the rest have finished
    return succeeded > 0 && active == 0;
  }

  private Job writeStatus(Job job, JobStatus status) {
    return client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
        .resource(new JobBuilder(job).withStatus(status).build()).updateStatus();
  }

  private static boolean same(JobStatus a, JobStatus b) {
    return Objects.equals(a, b);
  }

  private static JobStatus statusOf(Job job) {
    return job.getStatus() == null ? new JobStatus() : job.getStatus();
  }

  private static String timestamp(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }
}
