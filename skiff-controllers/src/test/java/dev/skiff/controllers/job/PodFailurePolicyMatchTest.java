package dev.skiff.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodFailurePolicyMatchTest {
  static final PodFailurePolicy POLICY = new PodFailurePolicyBuilder()
      .addNewRule().withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition().endRule()
      .addNewRule().withAction("FailJob").withNewOnExitCodes().withContainerName("main").withOperator("In").withValues(42, 43).endOnExitCodes().endRule()
      .addNewRule().withAction("Count").withNewOnExitCodes().withOperator("NotIn").withValues(1).endOnExitCodes().endRule()
      .build();

  record Case(String name, Pod pod, Optional<String> action, String message) {}

  static Pod failed(String container, int exitCode, String condition) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewStatus()
        .withPhase("Failed").addToContainerStatuses(new ContainerStatusBuilder().withName(container).withNewState()
            .withNewTerminated().withExitCode(exitCode).endTerminated().endState().build()).endStatus();
    if (condition != null) {
      b.editStatus().addNewCondition().withType(condition).withStatus("True").endCondition().endStatus();
    }
    return b.build();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("exit code in the FailJob list", failed("main", 42, null), Optional.of("FailJob"),
            "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1"),
        new Case("FailJob names another container; NotIn 1 counts it", failed("side", 42, null), Optional.of("Count"),
            "Container side for pod ns/p failed with exit code 42 matching Count rule at index 2"),
        new Case("exit code 1 matches no rule", failed("main", 1, null), Optional.empty(), null),
        new Case("the first matching rule wins", failed("main", 42, "DisruptionTarget"), Optional.of("Ignore"),
            "Pod ns/p has condition DisruptionTarget matching Ignore rule at index 0"),
        new Case("exit code 0 never matches", failed("main", 0, null), Optional.empty(), null));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesLikeUpstream(Case c) {
    Optional<PodFailurePolicyMatch> m = PodFailurePolicyMatch.match(POLICY, c.pod());
    assertThat(m.map(PodFailurePolicyMatch::action)).as(c.name()).isEqualTo(c.action());
    m.ifPresent(match -> assertThat(match.message()).isEqualTo(c.message()));
  }
}
