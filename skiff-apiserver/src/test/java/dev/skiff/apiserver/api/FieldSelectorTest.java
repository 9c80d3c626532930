package dev.skiff.apiserver.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
  private static final Map<String, String> FIELDS = Map.of("metadata.name", "a=b,c", "status.phase", "Running");

  private static boolean matches(String s) {
    return FieldSelector.parse(s).matches(f -> Optional.ofNullable(FIELDS.get(f)));
  }

  @Test
  void equalityInequalityAndEscapes() {
    assertThat(matches("status.phase=Running")).isTrue();
    assertThat(matches("status.phase==Running")).isTrue();
    assertThat(matches("status.phase!=Running")).isFalse();
    assertThat(matches("metadata.name=a\\=b\\,c,status.phase=Running")).isTrue();
    assertThat(matches("spec.nodeName=")).isTrue();
    assertThat(FieldSelector.parse("metadata.namespace=x").requiredValue("metadata.namespace")).contains("x");
    assertThatThrownBy(() -> FieldSelector.parse("nooperator")).isInstanceOf(StatusError.class);
  }
}
