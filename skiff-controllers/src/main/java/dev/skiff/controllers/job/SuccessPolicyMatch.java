package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * An Indexed Job's {@code successPolicy} (upstream's JobSuccessPolicy, beta and on in 1.32): the
 * rules are tried in order; a rule with {@code succeededIndexes} alone needs all of those indexes
 * succeeded, with {@code succeededCount} alone that many succeeded indexes, with both that many
 * among those indexes. The first rule met declares the Job successful (SuccessCriteriaMet, reason
 * {@value #REASON}); its remaining pods are then terminated.
 */
final class SuccessPolicyMatch {
  static final String REASON = "SuccessPolicy";

  private SuccessPolicyMatch() {}

  static Optional<JobConditions.Verdict> match(Job job, CompletedIndexes succeeded) {
    if (!JobSpecView.indexed(job) || job.getSpec().getSuccessPolicy() == null) {
      return Optional.empty();
    }
    int completions = JobSpecView.completions(job).orElse(0);
    List<SuccessPolicyRule> rules = job.getSpec().getSuccessPolicy().getRules();
    for (int i = 0; rules != null && i < rules.size(); i++) {
      if (met(rules.get(i), succeeded, completions)) {
        return Optional.of(new JobConditions.Verdict(REASON, "Matched rules at index " + i));
      }
    }
    return Optional.empty();
  }

  private static boolean met(SuccessPolicyRule rule, CompletedIndexes succeeded, int completions) {
    Integer count = rule.getSucceededCount();
    if (rule.getSucceededIndexes() == null) {
      return count != null && succeeded.count() >= count;
    }
    BitSet wanted = CompletedIndexes.parse(rule.getSucceededIndexes(), completions).indexes();
    BitSet done = (BitSet) wanted.clone();
    done.and(succeeded.indexes());
    return count == null ? done.cardinality() == wanted.cardinality() : done.cardinality() >= count;
  }
}
