package dev.skiff.controllers.cronjob;

import dev.skiff.controllers.job.JobConditions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which finished Jobs of a CronJob to delete, as upstream's {@code cleanupFinishedJobs}: beyond
 * {@code successfulJobsHistoryLimit} succeeded and {@code failedJobsHistoryLimit} failed Jobs,
 * the ones that started first go. A null limit keeps every Job of that kind.
 */
public final class JobHistory {
  private JobHistory() {}

  public static List<Job> toDelete(List<Job> jobs, Integer successfulLimit, Integer failedLimit) {
    List<Job> out = new ArrayList<>();
    if (successfulLimit != null) {
      out.addAll(oldest(jobs.stream().filter(j -> JobConditions.isTrue(j, JobConditions.COMPLETE)).toList(), successfulLimit));
    }
    if (failedLimit != null) {
      out.addAll(oldest(jobs.stream().filter(j -> JobConditions.isTrue(j, JobConditions.FAILED)).toList(), failedLimit));
    }
    return out;
  }

  private static List<Job> oldest(List<Job> finished, int keep) {
    if (finished.size() <= keep) {
      return List.of();
    }
    // by start time, a Job that never started first, then by name (which holds the schedule minute)
    List<Job> sorted = finished.stream().sorted(Comparator
        .comparing((Job j) -> j.getStatus() == null || j.getStatus().getStartTime() == null ? "" : j.getStatus().getStartTime())
        .thenComparing(j -> j.getMetadata().getCreationTimestamp() == null ? "" : j.getMetadata().getCreationTimestamp())
        .thenComparing(j -> j.getMetadata().getName())).toList();
    return sorted.subList(0, sorted.size() - Math.max(keep, 0));
  }
}
