package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which rule of a Job's {@code podFailurePolicy} a failed pod matches, as upstream's
 * {@code matchPodFailurePolicy}: rules are tried in order and the first match decides. An
 * {@code onExitCodes} rule looks at every terminated container (init containers included) with a
 * non-zero exit code; an {@code onPodConditions} rule at the pod's conditions.
 *
 * @param action FailJob, FailIndex, Ignore or Count
 * @param message for FailJob, the message of the Job's condition
 */
public record PodFailurePolicyMatch(String action, String message) {
  public static final String FAIL_JOB = "FailJob";
  public static final String IGNORE = "Ignore";
  public static final String COUNT = "Count";
  public static final String FAIL_INDEX = "FailIndex";

  /** The first matching rule's action for a failed {@code pod}, or empty when none matches (the failure counts). */
  public static Optional<PodFailurePolicyMatch> match(PodFailurePolicy policy, Pod pod) {
    if (policy == null || policy.getRules() == null || pod.getStatus() == null) {
      return Optional.empty();
    }
    String podName = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    List<PodFailurePolicyRule> rules = policy.getRules();
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule rule = rules.get(i);
      String action = rule.getAction();
      if (rule.getOnExitCodes() != null) {
        Optional<ContainerStatus> failed = failedContainer(rule.getOnExitCodes(), pod);
        if (failed.isPresent()) {
          return Optional.of(new PodFailurePolicyMatch(action, "Container %s for pod %s failed with exit code %d matching %s rule at index %d"
              .formatted(failed.get().getName(), podName, exitCode(failed.get()), action, i)));
        }
      } else if (rule.getOnPodConditions() != null) {
        for (PodFailurePolicyOnPodConditionsPattern pattern : rule.getOnPodConditions()) {
          String want = pattern.getStatus() == null ? "True" : pattern.getStatus();
          boolean has = pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
              .anyMatch(c -> pattern.getType().equals(c.getType()) && want.equals(c.getStatus()));
          if (has) {
            return Optional.of(new PodFailurePolicyMatch(action, "Pod %s has condition %s matching %s rule at index %d"
                .formatted(podName, pattern.getType(), action, i)));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<ContainerStatus> failedContainer(PodFailurePolicyOnExitCodesRequirement req, Pod pod) {
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    List<Integer> values = req.getValues() == null ? List.of() : req.getValues();
    for (ContainerStatus cs : statuses) {
      Integer code = exitCode(cs);
      // exit code 0 never matches: a container that succeeded did not fail the pod
      if (code == null || code == 0) {
        continue;
      }
      if (req.getContainerName() != null && !req.getContainerName().equals(cs.getName())) {
        continue;
      }
      boolean in = values.contains(code);
      if ("In".equals(req.getOperator()) == in) {
        return Optional.of(cs);
      }
    }
    return Optional.empty();
  }

  private static Integer exitCode(ContainerStatus cs) {
    return cs.getState() == null || cs.getState().getTerminated() == null ? null : cs.getState().getTerminated().getExitCode();
  }
}
