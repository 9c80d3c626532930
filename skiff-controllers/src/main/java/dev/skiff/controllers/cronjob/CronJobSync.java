package dev.skiff.controllers.cronjob;

import dev.skiff.controllers.base.EventRecorder;
import dev.skiff.controllers.base.ObjectKey;
import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.base.Reconciler;
import dev.skiff.controllers.base.SharedInformers;
import dev.skiff.controllers.job.JobConditions;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One sync of one CronJob (upstream's {@code syncCronJob}): reconcile {@code status.active} with
 * the Jobs it owns, then, unless suspended, start the Job of the most recent due schedule time
 * (honouring the starting deadline and the concurrency policy), delete finished Jobs beyond the
 * history limits, write the status once, and come back at the next schedule time.
 */
final class CronJobSync implements Reconciler {
  /** Upstream's {@code batchv1.CronJobScheduledTimestampAnnotation}. */
  static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
  /** Upstream adds this to the next schedule time so that the sync lands after it, not just before. */
  private static final Duration NEXT_SYNC_SLACK = Duration.ofMillis(100);

  private final KubernetesClient client;
  private final SharedIndexInformer<CronJob> cronJobs;
  private final SharedIndexInformer<Job> jobs;
  private final EventRecorder events;
  private final InstantSource clock;
  private final ZoneId defaultZone;

  CronJobSync(KubernetesClient client, SharedIndexInformer<CronJob> cronJobs, SharedIndexInformer<Job> jobs,
      EventRecorder events, InstantSource clock, ZoneId defaultZone) {
    this.client = client;
    this.cronJobs = cronJobs;
    this.jobs = jobs;
    this.events = events;
    this.clock = clock;
    this.defaultZone = defaultZone;
  }

  @Override
  public Result reconcile(ObjectKey key) throws Exception {
    CronJob cj = cronJobs.getIndexer().getByKey(key.cacheKey());
    if (cj == null) {
      return Result.done();
    }
    Instant now = clock.instant();
    String uid = cj.getMetadata().getUid();
    List<Job> owned = jobs.getIndexer().byIndex(SharedInformers.BY_NAMESPACE, key.namespace()).stream()
        .filter(j -> OwnerReferences.controllerOf(j).map(r -> uid.equals(r.getUid())).orElse(false)).toList();
    CronJobStatus old = cj.getStatus() == null ? new CronJobStatus() : cj.getStatus();
    Map<String, ObjectReference> active = new LinkedHashMap<>();
    (old.getActive() == null ? List.<ObjectReference>of() : old.getActive()).forEach(r -> active.put(r.getUid(), r));
    String lastSuccessful = old.getLastSuccessfulTime();

    // 1. the active list against the Jobs that exist
    for (Job j : owned) {
      String jobUid = j.getMetadata().getUid();
      boolean finished = JobConditions.isFinished(j);
      if (!active.containsKey(jobUid) && !finished) {
        events.event(cj, EventRecorder.WARNING, "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + j.getMetadata().getName());
      } else if (active.containsKey(jobUid) && finished) {
        active.remove(jobUid);
        String condition = JobConditions.isTrue(j, JobConditions.COMPLETE) ? JobConditions.COMPLETE : JobConditions.FAILED;
        events.event(cj, EventRecorder.NORMAL, "SawCompletedJob", "Saw completed job: " + j.getMetadata().getName() + ", condition: " + condition);
      }
      if (JobConditions.isTrue(j, JobConditions.COMPLETE) && j.getStatus().getCompletionTime() != null
          && (lastSuccessful == null || Instant.parse(j.getStatus().getCompletionTime()).isAfter(Instant.parse(lastSuccessful)))) {
        lastSuccessful = j.getStatus().getCompletionTime();
      }
    }
    for (ObjectReference ref : List.copyOf(active.values())) {
      boolean cached = owned.stream().anyMatch(j -> j.getMetadata().getUid().equals(ref.getUid()));
      if (!cached) {
        // the cache may be behind our own create: ask the API before dropping it
        Job live = client.batch().v1().jobs().inNamespace(key.namespace()).withName(ref.getName()).get();
        if (live == null || !ref.getUid().equals(live.getMetadata().getUid())) {
          events.event(cj, EventRecorder.NORMAL, "MissingJob", "Active job went missing: " + ref.getName());
          active.remove(ref.getUid());
        }
      }
    }

    // 2. the schedule
    String lastSchedule = old.getLastScheduleTime();
    Duration requeue = null;
    if (cj.getMetadata().getDeletionTimestamp() == null) {
      Optional<ScheduleTimes> times = times(cj);
      if (times.isPresent() && !Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
        ScheduleTimes st = times.get();
        Instant earliest = lastSchedule != null ? Instant.parse(lastSchedule) : Instant.parse(cj.getMetadata().getCreationTimestamp());
        ScheduleTimes.Due due = st.due(earliest, cj.getSpec().getStartingDeadlineSeconds(), now);
        if (due.missed() > ScheduleTimes.TOO_MANY_MISSED) {
          events.event(cj, EventRecorder.WARNING, "TooManyMissedTimes", "too many missed start times: " + due.missed()
              + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        if (due.mostRecent().isPresent()) {
          Optional<Instant> started = start(cj, st, due.mostRecent().get(), active, lastSchedule, now);
          if (started.isPresent()) {
            lastSchedule = format(started.get());
          }
        }
        requeue = st.next(now).map(t -> Duration.between(now, t).plus(NEXT_SYNC_SLACK)).orElse(null);
      }
    }

    // 3. history
    for (Job j : JobHistory.toDelete(owned, cj.getSpec().getSuccessfulJobsHistoryLimit(), cj.getSpec().getFailedJobsHistoryLimit())) {
      if (deleteJob(cj, j)) {
        active.remove(j.getMetadata().getUid());
      }
    }

    CronJobStatus status = new CronJobStatusBuilder(old).withActive(List.copyOf(active.values()))
        .withLastScheduleTime(lastSchedule).withLastSuccessfulTime(lastSuccessful).build();
    if (!Objects.equals(normalized(old), status)) {
      client.batch().v1().cronjobs().inNamespace(key.namespace()).resource(new CronJobBuilder(cj).withStatus(status).build())
          .updateStatus();
    }
    return requeue == null ? Result.done() : Result.requeueAfter(requeue);
  }

  /** The parsed schedule in its zone, or empty after an event when either is invalid (no retry helps). */
  private Optional<ScheduleTimes> times(CronJob cj) {
    String tz = cj.getSpec().getTimeZone();
    ZoneId zone = null;
    if (tz != null) {
      try {
        zone = ZoneId.of(tz);
      } catch (java.time.DateTimeException e) {
        events.event(cj, EventRecorder.WARNING, "UnknownTimeZone", "invalid timeZone: \"" + tz + "\": " + e.getMessage());
        return Optional.empty();
      }
    }
    try {
      CronSchedule schedule = CronSchedule.parse(cj.getSpec().getSchedule());
      return Optional.of(new ScheduleTimes(schedule, zone != null ? zone : schedule.zone().orElse(defaultZone)));
    } catch (IllegalArgumentException e) {
      events.event(cj, EventRecorder.WARNING, "UnparseableSchedule",
          "unparseable schedule: \"" + cj.getSpec().getSchedule() + "\" : " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Starts the Job for {@code scheduled} unless it is already started, past its starting deadline,
   * or forbidden by the concurrency policy; Replace deletes the active Jobs first.
   *
   * @return {@code scheduled} when it counts as this CronJob's last schedule time now
   */
  private Optional<Instant> start(CronJob cj, ScheduleTimes st, Instant scheduled, Map<String, ObjectReference> active,
      String lastSchedule, Instant now) {
    String name = jobName(cj, scheduled);
    if (format(scheduled).equals(lastSchedule) || active.values().stream().anyMatch(r -> name.equals(r.getName()))) {
      return Optional.empty();
    }
    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
      events.event(cj, EventRecorder.WARNING, "MissSchedule", "Missed scheduled time to start a job: "
          + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(scheduled, st.zone())));
      return Optional.empty();
    }
    String policy = cj.getSpec().getConcurrencyPolicy() == null ? "Allow" : cj.getSpec().getConcurrencyPolicy();
    if ("Forbid".equals(policy) && !active.isEmpty()) {
      events.event(cj, EventRecorder.NORMAL, "JobAlreadyActive",
          "Not starting job because prior execution is running and concurrency policy is Forbid");
      return Optional.empty();
    }
    if ("Replace".equals(policy)) {
      for (ObjectReference ref : List.copyOf(active.values())) {
        Job j = jobs.getIndexer().getByKey(cj.getMetadata().getNamespace() + "/" + ref.getName());
        if (j == null || deleteJob(cj, j)) {
          active.remove(ref.getUid());
        }
      }
    }
    Job job = newJob(cj, name, scheduled, st.zone());
    Job created;
    try {
      created = client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // created by an earlier sync whose status write was lost: that schedule time is done
        return Optional.of(scheduled);
      }
      events.event(cj, EventRecorder.WARNING, "FailedCreate", "Error creating job: " + e.getMessage());
      throw e;
    }
    events.event(cj, EventRecorder.NORMAL, "SuccessfulCreate", "Created job " + created.getMetadata().getName());
    active.put(created.getMetadata().getUid(), new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
        .withNamespace(created.getMetadata().getNamespace()).withName(created.getMetadata().getName())
        .withUid(created.getMetadata().getUid()).withResourceVersion(created.getMetadata().getResourceVersion()).build());
    return Optional.of(scheduled);
  }

  /** Upstream's {@code getJobName}: the CronJob's name and the schedule time in minutes since the epoch. */
  static String jobName(CronJob cj, Instant scheduled) {
    return cj.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
  }

  /** Upstream's {@code getJobFromTemplate2}. */
  static Job newJob(CronJob cj, String name, Instant scheduled, ZoneId zone) {
    var template = cj.getSpec().getJobTemplate();
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    Map<String, String> annotations = new LinkedHashMap<>(tm.getAnnotations() == null ? Map.of() : tm.getAnnotations());
    annotations.put(SCHEDULED_TIMESTAMP, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(ZonedDateTime.ofInstant(scheduled, zone)));
    return new JobBuilder().withNewMetadata().withName(name).withNamespace(cj.getMetadata().getNamespace())
        .withLabels(tm.getLabels() == null ? Map.of() : new LinkedHashMap<>(tm.getLabels())).withAnnotations(annotations)
        .withOwnerReferences(OwnerReferences.controllerRef(cj)).endMetadata()
        .withSpec(new JobSpecBuilder(template.getSpec()).build()).build();
  }

  /** Deletes {@code job} with background propagation; false when the delete failed. */
  private boolean deleteJob(CronJob cj, Job job) {
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      events.event(cj, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return true;
      }
      events.event(cj, EventRecorder.WARNING, "FailedDelete", "Deleted job: " + e.getMessage());
      return false;
    }
  }

  private static CronJobStatus normalized(CronJobStatus s) {
    return new CronJobStatusBuilder(s).withActive(s.getActive() == null ? List.of() : new ArrayList<>(s.getActive())).build();
  }

  private static String format(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
