package dev.skiff.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

  @Test
  void referencesExpandAgainstEarlierVariablesAndDollarDollarEscapes() {
    var env = Map.of("A", "x", "B", "y");
    assertThat(EnvResolver.expand("$(A)-$(B)-$(C)-$$(A)", env)).isEqualTo("x-y-$(C)-$(A)");
  }
}
