package dev.skiff.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.api.StatusError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationQueryTest {
  @Test
  void parsesTheTimeoutQueryParameter() {
    assertThat(QueryOptions.goDuration("32s")).isEqualTo(Duration.ofSeconds(32));
    assertThat(QueryOptions.goDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(QueryOptions.goDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(QueryOptions.goDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> QueryOptions.goDuration("soon")).isInstanceOf(StatusError.class);
    assertThatThrownBy(() -> QueryOptions.goDuration("5x")).isInstanceOf(StatusError.class);
  }
}
