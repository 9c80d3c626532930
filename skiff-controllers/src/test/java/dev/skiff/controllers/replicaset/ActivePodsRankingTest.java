package dev.skiff.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which of two pods a scale-down deletes first, rule by rule as upstream's ActivePodsWithRanks. */
class ActivePodsRankingTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  record Case(String rule, Pod deleteFirst, int rankFirst, Pod keep, int rankKeep) {}

  static Pod pod(String uid, String node, String phase, Boolean readySinceSecondsAgo, long readyAgo, int cost,
      int restarts, long createdAgo) {
    var b = new PodBuilder().withNewMetadata().withName(uid).withUid(uid)
        .withCreationTimestamp(NOW.minusSeconds(createdAgo).toString())
        .withAnnotations(cost == 0 ? Map.of() : Map.of(ActivePodsRanking.DELETION_COST, Integer.toString(cost)))
        .endMetadata().withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase)
        .addNewContainerStatus().withName("c").withRestartCount(restarts).endContainerStatus();
    if (readySinceSecondsAgo != null) {
      b = b.addNewCondition().withType("Ready").withStatus(readySinceSecondsAgo ? "True" : "False")
          .withLastTransitionTime(NOW.minusSeconds(readyAgo).toString()).endCondition();
    }
    return b.endStatus().build();
  }

  static Pod base(String uid) {
    return pod(uid, "n1", "Running", true, 1000, 0, 0, 5000);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("unscheduled first", pod("a", null, "Running", true, 1000, 0, 0, 5000), 0, base("b"), 0),
        new Case("pending before running", pod("a", "n1", "Pending", true, 1000, 0, 0, 5000), 0, base("b"), 0),
        new Case("not ready before ready", pod("a", "n1", "Running", false, 1000, 0, 0, 5000), 0, base("b"), 0),
        new Case("lower deletion cost first", pod("a", "n1", "Running", true, 1000, -5, 0, 5000), 0, base("b"), 0),
        new Case("doubled up first", base("a"), 2, base("b"), 1),
        new Case("ready more recently first", pod("a", "n1", "Running", true, 10, 0, 0, 5000), 0, base("b"), 0),
        new Case("more restarts first", pod("a", "n1", "Running", true, 1000, 0, 7, 5000), 0, base("b"), 0),
        new Case("newer first", pod("z", "n1", "Running", true, 1000, 0, 0, 60), 0, base("b"), 0),
        new Case("same log2 bucket: uid", pod("a", "n1", "Running", true, 1000, 0, 0, 5000), 0,
            pod("b", "n1", "Running", true, 1001, 0, 0, 5001), 0));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void ranksAsUpstream(Case c) {
    var ranking = new ActivePodsRanking(NOW);
    var first = new ActivePodsRanking.Ranked(c.deleteFirst(), c.rankFirst());
    var keep = new ActivePodsRanking.Ranked(c.keep(), c.rankKeep());
    assertThat(ranking.compare(first, keep)).as(c.rule()).isNegative();
    assertThat(ranking.compare(keep, first)).as(c.rule() + " (reversed)").isPositive();
    List<ActivePodsRanking.Ranked> sorted = new ArrayList<>(List.of(keep, first));
    sorted.sort(ranking);
    assertThat(sorted.get(0)).isSameAs(first);
  }

  @org.junit.jupiter.api.Test
  void rankCountsRelatedActivePodsOnTheSameNode() {
    Pod a = base("a");
    Pod b = pod("b", "n2", "Running", true, 1000, 0, 0, 5000);
    var ranked = ActivePodsRanking.rankByRelatedPodsOnSameNode(List.of(a, b), List.of(a, b, base("c")));
    assertThat(ranked).extracting(ActivePodsRanking.Ranked::rank).containsExactly(2, 1);
  }
}
