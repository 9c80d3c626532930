package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An Indexed Job's failures per index under {@code backoffLimitPerIndex} (upstream's
 * JobBackoffLimitPerIndex, beta and on in 1.32). Every pod carries
 * {@value #FAILURE_COUNT}: the failures of its index before it. A failed pod of an index counts
 * one more (none when a pod failure policy rule says Ignore); an index whose failures exceed the
 * limit, or whose pod matched a FailIndex rule, is failed for good: it gets no new pod and joins
 * {@code status.failedIndexes}. The Job fails once more than {@code maxFailedIndexes} indexes failed,
 * or when every index has either succeeded or failed and some failed.
 *
 * @param failed failed indexes (from the status, plus those found now), none of them completed
 * @param counts failures so far per index, for the next pod's annotation
 */
record IndexFailures(CompletedIndexes failed, Map<Integer, Integer> counts) {
  static final String FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
  static final String FAILED_INDEXES = "FailedIndexes";
  static final String FAILED_INDEXES_MESSAGE = "Job has failed indexes";
  static final String MAX_FAILED_INDEXES_EXCEEDED = "MaxFailedIndexesExceeded";
  static final String MAX_FAILED_INDEXES_MESSAGE = "Job has exceeded the specified maximal number of failed indexes";

  IndexFailures {
    counts = Map.copyOf(counts);
  }

  /** The Job's index failures, or empty when it has no {@code backoffLimitPerIndex}. */
  static Optional<IndexFailures> of(Job job, List<Pod> owned, CompletedIndexes completed) {
    Integer limit = job.getSpec().getBackoffLimitPerIndex();
    if (limit == null || !JobSpecView.indexed(job)) {
      return Optional.empty();
    }
    int completions = JobSpecView.completions(job).orElse(0);
    CompletedIndexes failed = CompletedIndexes.parse(job.getStatus() == null ? null : job.getStatus().getFailedIndexes(),
        completions);
    Map<Integer, Integer> counts = new HashMap<>();
    for (Pod pod : owned) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      // a pod this controller deleted lost its finalizer first: only real failures count
      boolean podFailed = "Failed".equals(phase) || (JobPods.hasTrackingFinalizer(pod) && PodTally.isFailed(pod, job));
      OptionalInt index = JobPods.index(pod, completions);
      if (!podFailed || index.isEmpty()) {
        continue;
      }
      int i = index.getAsInt();
      Optional<PodFailurePolicyMatch> rule = "Failed".equals(phase)
          ? PodFailurePolicyMatch.match(job.getSpec().getPodFailurePolicy(), pod) : Optional.empty();
      boolean ignored = rule.isPresent() && PodFailurePolicyMatch.IGNORE.equals(rule.get().action());
      int after = before(pod) + (ignored ? 0 : 1);
      counts.merge(i, after, Math::max);
      boolean failIndex = rule.isPresent() && PodFailurePolicyMatch.FAIL_INDEX.equals(rule.get().action());
      if ((failIndex || after > limit) && !completed.contains(i)) {
        failed = failed.with(i);
      }
    }
    return Optional.of(new IndexFailures(failed, counts));
  }

  private static int before(Pod pod) {
    String v = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(FAILURE_COUNT);
    try {
      return v == null ? 0 : Math.max(0, Integer.parseInt(v));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  boolean isFailed(int index) {
    return failed.contains(index);
  }

  /** The failures of {@code index} so far: the value for its next pod's {@value #FAILURE_COUNT}. */
  int count(int index) {
    return counts.getOrDefault(index, 0);
  }

  /** Whether the Job fails because of its failed indexes, and why. */
  Optional<JobConditions.Verdict> verdict(Job job, CompletedIndexes completed) {
    Integer max = job.getSpec().getMaxFailedIndexes();
    if (max != null && failed.count() > max) {
      return Optional.of(new JobConditions.Verdict(MAX_FAILED_INDEXES_EXCEEDED, MAX_FAILED_INDEXES_MESSAGE));
    }
    int completions = JobSpecView.completions(job).orElse(0);
    if (failed.count() > 0 && completed.count() + failed.count() >= completions) {
      return Optional.of(new JobConditions.Verdict(FAILED_INDEXES, FAILED_INDEXES_MESSAGE));
    }
    return Optional.empty();
  }
}
