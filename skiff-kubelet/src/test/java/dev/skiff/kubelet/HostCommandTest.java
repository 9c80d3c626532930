package dev.skiff.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostCommandTest {

  @Test
  void returnsMergedOutputAndExitCode() throws Exception {
    var result = HostCommand.of("sh", "-c", "echo out; echo err >&2; exit 3").run();
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).contains("out").contains("err");
    assertThatThrownBy(() -> HostCommand.of("sh", "-c", "echo nope; exit 2").output())
        .isInstanceOf(IOException.class).hasMessageContaining("exit 2").hasMessageContaining("nope");
  }

  @Test
  void killsACommandThatOutlivesItsTimeout() {
    long begin = System.nanoTime();
    assertThatThrownBy(() -> HostCommand.of("sleep", "30").withTimeout(Duration.ofMillis(200)).run())
        .isInstanceOf(IOException.class).hasMessageContaining("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
  }
}
