package dev.skiff.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CompletedIndexesTest {
  record Case(String text, int completions, String canonical, int count) {}

  static Stream<Case> cases() {
    return Stream.of(
        new Case("", 5, "", 0),
        new Case("0", 5, "0", 1),
        new Case("0,1", 5, "0-1", 2),
        new Case("0,2,3,4", 5, "0,2-4", 4),
        new Case("3-4,0-1", 5, "0-1,3-4", 4),
        new Case("1,7,9", 5, "1", 1), // indexes at or above completions are dropped
        new Case("2-9", 5, "2-4", 3),
        new Case("x,1,4-2", 5, "1", 1)); // unreadable parts are skipped
  }

  @ParameterizedTest
  @MethodSource("cases")
  void parsesAndPrintsUpstreamsCompressedForm(Case c) {
    CompletedIndexes parsed = CompletedIndexes.parse(c.text(), c.completions());
    assertThat(parsed.toString()).isEqualTo(c.canonical());
    assertThat(parsed.count()).isEqualTo(c.count());
  }

  @org.junit.jupiter.api.Test
  void addingAnIndexJoinsNeighbouringRanges() {
    CompletedIndexes ci = CompletedIndexes.parse("0-1,3", 4);
    assertThat(ci.with(2).toString()).isEqualTo("0-3");
    assertThat(ci.toString()).isEqualTo("0-1,3"); // immutable
  }
}
