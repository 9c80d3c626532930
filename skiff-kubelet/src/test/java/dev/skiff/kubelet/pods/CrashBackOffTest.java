package dev.skiff.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrashBackOffTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void firstRestartIsImmediateThenTheDelayDoublesUpToTheMaximum() {
    var backOff = new CrashBackOff(Duration.ofSeconds(10), Duration.ofSeconds(40));
    assertThat(backOff.remaining("u/c", T0, T0)).isZero();
    backOff.restarted("u/c", T0);
    assertThat(backOff.remaining("u/c", T0.plusSeconds(1), T0.plusSeconds(4))).isEqualTo(Duration.ofSeconds(7));
    assertThat(backOff.remaining("u/c", T0.plusSeconds(1), T0.plusSeconds(11))).isZero();
    backOff.restarted("u/c", T0.plusSeconds(11));
    assertThat(backOff.delay("u/c")).isEqualTo(Duration.ofSeconds(20));
    backOff.restarted("u/c", T0.plusSeconds(40));
    backOff.restarted("u/c", T0.plusSeconds(90));
    assertThat(backOff.delay("u/c")).isEqualTo(Duration.ofSeconds(40));
    // running quietly for more than twice the maximum starts afresh
    backOff.restarted("u/c", T0.plusSeconds(200));
    assertThat(backOff.delay("u/c")).isEqualTo(Duration.ofSeconds(10));
    backOff.forget("u/");
    assertThat(backOff.remaining("u/c", T0, T0)).isZero();
  }
}
