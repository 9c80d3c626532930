package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/** A Job's spec with the API server's defaults applied where a field is missing. */
final class JobSpecView {
  private JobSpecView() {}

  static boolean indexed(Job job) {
    return "Indexed".equals(job.getSpec().getCompletionMode());
  }

  static Optional<Integer> completions(Job job) {
    return Optional.ofNullable(job.getSpec().getCompletions());
  }

  static int parallelism(Job job) {
    return job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
  }

  static int backoffLimit(Job job) {
    return job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
  }

  static boolean suspended(Job job) {
    return Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  /** The {@code managedBy} value that leaves a Job to this controller (also when the field is unset). */
  static final String JOB_CONTROLLER = "kubernetes.io/job-controller";

  /**
   * Whether this controller manages {@code job}: {@code spec.managedBy} unset or
   * {@value #JOB_CONTROLLER}. Another value hands the Job to an external controller (upstream's
   * JobManagedBy, beta and on in 1.32): this one then neither creates pods nor writes status.
   */
  static boolean managedHere(Job job) {
    String managedBy = job.getSpec().getManagedBy();
    return managedBy == null || JOB_CONTROLLER.equals(managedBy);
  }

  static boolean onlyReplaceFailed(Job job) {
    return "Failed".equals(job.getSpec().getPodReplacementPolicy());
  }
}
