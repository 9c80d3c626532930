package dev.skiff.apiserver.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {
  record Case(String selector, Map<String, String> labels, boolean matches) {}

  static Stream<Case> cases() {
    Map<String, String> web = Map.of("app", "web", "tier", "front", "replicas", "3");
    return Stream.of(
        new Case("", web, true),
        new Case("app=web", web, true),
        new Case("app==web", web, true),
        new Case("app=db", web, false),
        new Case("app!=db", web, true),
        new Case("missing!=x", web, true),
        new Case("app in (web, db)", web, true),
        new Case("app in (db)", web, false),
        new Case("app notin (db)", web, true),
        new Case("missing notin (db)", web, true),
        new Case("app", web, true),
        new Case("missing", web, false),
        new Case("!missing", web, true),
        new Case("!app", web, false),
        new Case("replicas>2", web, true),
        new Case("replicas<3", web, false),
        new Case("app=web,tier=back", web, false),
        new Case("app=web, tier in (front,back), !gone", web, true),
        new Case("example.com/role=x", Map.of("example.com/role", "x"), true));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matches(Case c) {
    assertThat(LabelSelector.parse(c.selector()).matches(c.labels())).as(c.selector()).isEqualTo(c.matches());
  }

  @ParameterizedTest
  @ValueSource(strings = {"app in (web", "app=we b", "-bad=x", "app>x", "a/b/c=d", "=x"})
  void rejectsMalformedSelectors(String s) {
    assertThatThrownBy(() -> LabelSelector.parse(s)).isInstanceOf(StatusError.class)
        .satisfies(e -> assertThat(((StatusError) e).code()).isEqualTo(400));
  }
}
