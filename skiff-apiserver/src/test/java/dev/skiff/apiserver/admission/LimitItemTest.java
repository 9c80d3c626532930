package dev.skiff.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import dev.skiff.quota.Amount;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** LimitRange items: their own defaulting, and each constraint with upstream's message. */
class LimitItemTest {
  private static LimitItem item(String json) {
    return LimitItem.of(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, Amount> list(String... pairs) {
    Map<String, Amount> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], Amount.parse(pairs[i + 1]));
    }
    return m;
  }

  record Case(String item, Map<String, Amount> requests, Map<String, Amount> limits, List<String> errors) {}

  static Stream<Case> cases() {
    String minMax = "{\"type\":\"Container\",\"min\":{\"cpu\":\"100m\"},\"max\":{\"cpu\":\"500m\"}}";
    String ratio = "{\"type\":\"Container\",\"maxLimitRequestRatio\":{\"memory\":\"2\"}}";
    return Stream.of(
        new Case(minMax, list("cpu", "200m"), list("cpu", "500m"), List.of()),
        new Case(minMax, list("cpu", "200m"), list("cpu", "1"),
            List.of("maximum cpu usage per Container is 500m, but limit is 1")),
        new Case(minMax, list("cpu", "50m"), list("cpu", "400m"),
            List.of("minimum cpu usage per Container is 100m, but request is 50m")),
        new Case(minMax, list(), list(), List.of("minimum cpu usage per Container is 100m.  No request is specified",
            "maximum cpu usage per Container is 500m.  No limit is specified")),
        new Case(ratio, list("memory", "100Mi"), list("memory", "300Mi"),
            List.of("memory max limit to request ratio per Container is 2, but provided ratio is 3.000000")),
        new Case(ratio, list("memory", "100Mi"), list("memory", "200Mi"), List.of()),
        new Case(ratio, list(), list("memory", "200Mi"),
            List.of("memory max limit to request ratio per Container is 2, but no request is specified or request is 0")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void checksEachConstraint(Case c) {
    assertThat(item(c.item()).check("Container", c.requests(), c.limits())).isEqualTo(c.errors());
  }

  @Test
  void maxDefaultsTheLimitAndTheLimitDefaultsTheRequest() {
    LimitItem i = item("{\"type\":\"Container\",\"max\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"default\":{\"cpu\":\"500m\"},"
        + "\"min\":{\"memory\":\"64Mi\"}}");
    assertThat(i.defaultLimit()).isEqualTo(list("cpu", "500m", "memory", "1Gi"));
    assertThat(i.defaultRequest()).isEqualTo(list("cpu", "500m", "memory", "1Gi"));
    LimitItem minOnly = item("{\"type\":\"Container\",\"min\":{\"memory\":\"64Mi\"}}");
    assertThat(minOnly.defaultRequest()).isEqualTo(list("memory", "64Mi"));
  }

  @Test
  void claimsAreCheckedOnTheirStorageRequest() {
    LimitItem claims = item("{\"type\":\"PersistentVolumeClaim\",\"min\":{\"storage\":\"1Gi\"},\"max\":{\"storage\":\"2Gi\"}}");
    assertThat(claims.checkClaim(list("storage", "5Gi")))
        .containsExactly("maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi");
    assertThat(claims.checkClaim(list("storage", "500Mi")))
        .containsExactly("minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi");
    assertThat(claims.checkClaim(list("storage", "1536Mi"))).isEmpty();
  }
}
