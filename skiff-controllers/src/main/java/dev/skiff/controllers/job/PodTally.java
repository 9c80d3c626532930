package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The first half of upstream's {@code trackJobStatusAndRemoveFinalizers}: which finished pods that
 * still carry the tracking finalizer a sync now counts. Their uids join
 * {@code status.uncountedTerminatedPods} (written before any finalizer is removed, so a crash
 * between the two loses no pod), their finalizers are then removed, and only then do they move to
 * {@code succeeded}/{@code failed}. Failed pods go through the pod failure policy: Ignore drops
 * the failure, FailJob gives the Job's failure verdict.
 *
 * @param toUnfinalize pods whose tracking finalizer the sync removes
 * @param succeeded uncounted succeeded uids, the old ones and the new ones
 * @param failed uncounted failed uids, the old ones and the new ones
 * @param completed an Indexed Job's completed indexes with the new ones (empty for NonIndexed)
 * @param failJob the first FailJob rule that a newly failed pod matched
 * @param changed whether there is a new uncounted uid or completed index to write
 */
record PodTally(List<Pod> toUnfinalize, Set<String> succeeded, Set<String> failed, CompletedIndexes completed,
    Optional<JobConditions.Verdict> failJob, boolean changed) {

  static PodTally of(Job job, List<Pod> pods, Set<String> pendingRemoval) {
    UncountedTerminatedPods u = job.getStatus() == null ? null : job.getStatus().getUncountedTerminatedPods();
    Set<String> succeeded = new LinkedHashSet<>(u == null || u.getSucceeded() == null ? List.of() : u.getSucceeded());
    Set<String> failed = new LinkedHashSet<>(u == null || u.getFailed() == null ? List.of() : u.getFailed());
    boolean indexed = JobSpecView.indexed(job);
    int completions = JobSpecView.completions(job).orElse(0);
    CompletedIndexes completed = CompletedIndexes.parse(
        job.getStatus() == null ? null : job.getStatus().getCompletedIndexes(), completions);
    List<Pod> toUnfinalize = new ArrayList<>();
    Optional<JobConditions.Verdict> failJob = Optional.empty();
    boolean changed = false;
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      if (!JobPods.hasTrackingFinalizer(pod) || pendingRemoval.contains(uid)) {
        continue;
      }
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      boolean podFailed = isFailed(pod, job);
      if (!"Succeeded".equals(phase) && !podFailed) {
        continue;
      }
      toUnfinalize.add(pod);
      if ("Succeeded".equals(phase) && !failed.contains(uid)) {
        if (indexed) {
          OptionalInt index = JobPods.index(pod, completions);
          if (index.isPresent() && !completed.contains(index.getAsInt())) {
            completed = completed.with(index.getAsInt());
            changed |= succeeded.add(uid);
          }
        } else {
          changed |= succeeded.add(uid);
        }
      } else if (podFailed && !succeeded.contains(uid)) {
        Optional<PodFailurePolicyMatch> rule = "Failed".equals(phase)
            ? PodFailurePolicyMatch.match(job.getSpec().getPodFailurePolicy(), pod) : Optional.empty();
        if (rule.isPresent() && PodFailurePolicyMatch.IGNORE.equals(rule.get().action())) {
          continue; // Ignore: the pod is neither counted nor held back
        }
        if (rule.isPresent() && PodFailurePolicyMatch.FAIL_JOB.equals(rule.get().action()) && failJob.isEmpty()) {
          failJob = Optional.of(new JobConditions.Verdict(JobConditions.POD_FAILURE_POLICY, rule.get().message()));
        }
        changed |= failed.add(uid);
      }
    }
    return new PodTally(List.copyOf(toUnfinalize), succeeded, failed, completed, failJob, changed);
  }

  /**
   * Failed, or being deleted before it succeeded (an orphan that never reaches Failed), as upstream's
   * {@code isPodFailed}; with podReplacementPolicy Failed only phase Failed counts.
   */
  static boolean isFailed(Pod pod, Job job) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase)) {
      return true;
    }
    if ("Failed".equals(job.getSpec().getPodReplacementPolicy())) {
      return false;
    }
    return pod.getMetadata().getDeletionTimestamp() != null && !"Succeeded".equals(phase);
  }

  UncountedTerminatedPods uncounted() {
    return new UncountedTerminatedPods(List.copyOf(failed), List.copyOf(succeeded));
  }
}
