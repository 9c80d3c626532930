package dev.skiff.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureBackoffTest {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  static Pod finished(String phase, Instant at) {
    return new PodBuilder().withNewMetadata().withName(phase + at.getEpochSecond()).endMetadata().withNewStatus()
        .withPhase(phase).addToContainerStatuses(new ContainerStatusBuilder().withName("c").withNewState().withNewTerminated()
            .withExitCode(phase.equals("Failed") ? 1 : 0).withFinishedAt(at.toString()).endTerminated().endState().build())
        .endStatus().build();
  }

  @Test
  void delayDoublesWithEachConsecutiveFailureFromTheLastOne() {
    FailureBackoff b = FailureBackoff.UPSTREAM;
    List<Pod> one = List.of(finished("Failed", T0));
    assertThat(b.remaining(one, T0.plusSeconds(4))).isEqualTo(Duration.ofSeconds(6));
    assertThat(b.remaining(one, T0.plusSeconds(11))).isZero();
    List<Pod> three = List.of(finished("Failed", T0), finished("Failed", T0.plusSeconds(20)), finished("Failed", T0.plusSeconds(70)));
    assertThat(b.remaining(three, T0.plusSeconds(70))).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void aSuccessResetsTheCountAndTheDelayIsCapped() {
    FailureBackoff b = FailureBackoff.UPSTREAM;
    assertThat(b.remaining(List.of(finished("Failed", T0), finished("Succeeded", T0.plusSeconds(1))), T0.plusSeconds(2))).isZero();
    List<Pod> many = java.util.stream.IntStream.range(0, 20).mapToObj(i -> finished("Failed", T0.plusSeconds(i))).toList();
    assertThat(b.remaining(many, T0.plusSeconds(19))).isEqualTo(Duration.ofMinutes(10));
  }
}
