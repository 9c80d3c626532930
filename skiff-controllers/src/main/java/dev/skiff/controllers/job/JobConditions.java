package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A Job's conditions with upstream's types, reasons and messages ({@code pkg/controller/job}). */
public final class JobConditions {
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";
  public static final String SUSPENDED = "Suspended";
  public static final String FAILURE_TARGET = "FailureTarget";
  public static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";

  public static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
  public static final String BACKOFF_LIMIT_MESSAGE = "Job has reached the specified backoff limit";
  public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  public static final String DEADLINE_MESSAGE = "Job was active longer than specified deadline";
  public static final String POD_FAILURE_POLICY = "PodFailurePolicy";
  public static final String COMPLETIONS_REACHED = "CompletionsReached";
  public static final String COMPLETIONS_MESSAGE = "Reached expected number of succeeded pods";

  private JobConditions() {}

  /** A reason and message to put on a terminal condition. */
  public record Verdict(String reason, String message) {
    public Verdict {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  public static List<JobCondition> of(Job job) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? List.of() : job.getStatus().getConditions();
  }

  /** The condition of {@code type} whose status is True, if any. */
  public static Optional<JobCondition> trueCondition(List<JobCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  public static boolean isTrue(Job job, String type) {
    return trueCondition(of(job), type).isPresent();
  }

  /** Complete or Failed: upstream's {@code IsJobFinished}. */
  public static boolean isFinished(Job job) {
    return isTrue(job, COMPLETE) || isTrue(job, FAILED);
  }

  /** When the Job finished: the transition time of its Complete or Failed condition. */
  public static Optional<Instant> finishedAt(Job job) {
    return of(job).stream()
        .filter(c -> (COMPLETE.equals(c.getType()) || FAILED.equals(c.getType())) && "True".equals(c.getStatus()))
        .map(JobCondition::getLastTransitionTime).filter(Objects::nonNull).map(Instant::parse).findFirst();
  }

  /**
   * {@code conditions} with {@code type} set to {@code status}: an existing condition of that type
   * keeps its transition time unless its status changes, as upstream's {@code ensureJobConditionStatus}.
   * Returns the same list when nothing changes.
   */
  public static List<JobCondition> with(List<JobCondition> conditions, String type, String status, String reason,
      String message, Instant now) {
    String ts = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    List<JobCondition> out = new ArrayList<>();
    boolean found = false;
    boolean changed = false;
    for (JobCondition c : conditions) {
      if (!type.equals(c.getType())) {
        out.add(c);
        continue;
      }
      found = true;
      if (status.equals(c.getStatus()) && Objects.equals(reason, c.getReason()) && Objects.equals(message, c.getMessage())) {
        out.add(c);
        continue;
      }
      changed = true;
      String transition = status.equals(c.getStatus()) ? c.getLastTransitionTime() : ts;
      out.add(new JobConditionBuilder(c).withStatus(status).withReason(reason).withMessage(message)
          .withLastProbeTime(ts).withLastTransitionTime(transition).build());
    }
    if (!found) {
      changed = true;
      out.add(new JobConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
          .withLastProbeTime(ts).withLastTransitionTime(ts).build());
    }
    return changed ? out : conditions;
  }
}
