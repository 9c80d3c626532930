package dev.skiff.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmountTest {
  @ParameterizedTest
  @CsvSource({
      "250m, 250m, 500m", "500m, 500m, 1", "512Mi, 512Mi, 1Gi", "1.5Gi, 0, 1536Mi", "1, 1500m, 2500m",
      "1000, 1000, 2k", "100Mi, 1G, 1104857600", "100Mi, 1Mi, 101Mi", "1G, 100Mi, 1104857600", "0, 0, 0", "3, 0, 3", "1e3, 0, 1k",
      "0.1, 0, 100m", "1Ki, 1, 1025", "0, 512Mi, 512Mi", "1, 1Ki, 1025"})
  void sumsPrintAsUpstreamQuantities(String a, String b, String sum) {
    assertThat(Amount.parse(a).plus(Amount.parse(b)).toString()).isEqualTo(sum);
  }

  @ParameterizedTest
  @CsvSource({"1, 1000m, 0", "2, 1, 1", "100Mi, 1Gi, -1", "1k, 1000, 0"})
  void comparesByValue(String a, String b, int sign) {
    assertThat(Integer.signum(Amount.parse(a).compareTo(Amount.parse(b)))).isEqualTo(sign);
  }

  @org.junit.jupiter.api.Test
  void subtractionAndMasking() {
    ResourceUsage used = ResourceUsage.of(java.util.Map.of("pods", Amount.of(3), "requests.cpu", Amount.parse("1500m")));
    ResourceUsage freed = ResourceUsage.of(java.util.Map.of("pods", Amount.of(1), "requests.cpu", Amount.parse("500m")));
    assertThat(used.minus(freed).toString()).isEqualTo("pods=2,requests.cpu=1");
    assertThat(used.mask(java.util.List.of("pods", "limits.cpu")).toString()).isEqualTo("pods=3");
    assertThat(used.withZeros(java.util.List.of("pods", "limits.cpu")).toString()).isEqualTo("limits.cpu=0,pods=3");
  }
}
