package dev.skiff.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaCalculatorTest {
  @ParameterizedTest
  @CsvSource({"2, 100, 50, 4", "3, 54, 50, 3", "3, 56, 50, 4", "4, 46, 50, 4", "4, 44, 50, 4", "4, 20, 50, 2",
      "10, 10, 50, 2", "1, 500, 50, 10", "5, 0, 50, 0"})
  void scalesByTheUsageRatioOutsideTheTolerance(int current, double usage, double target, int desired) {
    assertThat(ReplicaCalculator.desired(current, usage, target)).isEqualTo(desired);
  }

  @Test
  void scaleDownWaitsForTheWindowScaleUpDoesNot() {
    ScaleDownStabilization s = new ScaleDownStabilization();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    assertThat(s.stabilize("ns/a", 5, t)).isEqualTo(5);
    assertThat(s.stabilize("ns/a", 2, t.plusSeconds(60))).isEqualTo(5);
    assertThat(s.stabilize("ns/a", 8, t.plusSeconds(120))).isEqualTo(8);
    assertThat(s.stabilize("ns/a", 3, t.plus(Duration.ofSeconds(300)).plusSeconds(121))).isEqualTo(3);
    assertThat(s.stabilize("ns/b", 1, t)).isEqualTo(1);
  }
}
