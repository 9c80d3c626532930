package dev.skiff.controllers.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.controllers.history.ControllerRevisions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rolling update plan, as upstream's {@code update_test.go} exercises it. */
class DaemonRollingUpdateTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  static Pod pod(String name, String hash, boolean ready) {
    var b = new PodBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of(ControllerRevisions.HASH_LABEL, hash)).endMetadata().withNewStatus().withPhase("Running");
    if (ready) {
      b.addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime("2026-11-26T11:00:00Z").endCondition();
    }
    return b.endStatus().build();
  }

  static DaemonSet ds(IntOrString maxSurge, IntOrString maxUnavailable) {
    return new DaemonSetBuilder().withNewMetadata().withName("ds").endMetadata().withNewSpec()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(maxSurge)
        .withMaxUnavailable(maxUnavailable).endRollingUpdate().endUpdateStrategy().endSpec().build();
  }

  static SortedMap<String, List<Pod>> nodes(int count, String hash, boolean ready) {
    SortedMap<String, List<Pod>> out = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      out.put("n" + i, List.of(pod("p" + i, hash, ready)));
    }
    return out;
  }

  @Test
  void withoutSurgeDeletesUpToMaxUnavailableOldPods() {
    DaemonSet ds = ds(new IntOrString(0), new IntOrString(2));
    var plan = DaemonRollingUpdate.plan(ds, nodes(5, "old", true), DaemonRollingUpdate.budget(ds, 5), "new", NOW);
    assertThat(plan.delete()).extracting(p -> p.getMetadata().getName()).containsExactly("p0", "p1");
    assertThat(plan.create()).isEmpty();
  }

  @Test
  void withoutSurgeAnUnavailableNewPodUsesTheBudget() {
    DaemonSet ds = ds(new IntOrString(0), new IntOrString(1));
    SortedMap<String, List<Pod>> nodes = nodes(3, "old", true);
    nodes.put("n0", List.of(pod("fresh", "new", false)));
    var plan = DaemonRollingUpdate.plan(ds, nodes, DaemonRollingUpdate.budget(ds, 3), "new", NOW);
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void unavailableOldPodsAreReplacedAtOnce() {
    DaemonSet ds = ds(new IntOrString(0), new IntOrString(1));
    var plan = DaemonRollingUpdate.plan(ds, nodes(3, "old", false), DaemonRollingUpdate.budget(ds, 3), "new", NOW);
    assertThat(plan.delete()).hasSize(3);
  }

  @Test
  void surgeCreatesBesideOldPodsThenDeletesOldOnceNewIsAvailable() {
    DaemonSet ds = ds(new IntOrString("50%"), new IntOrString(0));
    var budget = DaemonRollingUpdate.budget(ds, 4);
    assertThat(budget).isEqualTo(new DaemonRollingUpdate.Budget(2, 0));
    var plan = DaemonRollingUpdate.plan(ds, nodes(4, "old", true), budget, "new", NOW);
    assertThat(plan.create()).containsExactly("n0", "n1");
    assertThat(plan.delete()).isEmpty();

    SortedMap<String, List<Pod>> nodes = nodes(4, "old", true);
    nodes.put("n0", List.of(pod("p0", "old", true), pod("q0", "new", true)));
    nodes.put("n1", List.of(pod("p1", "old", true), pod("q1", "new", false)));
    plan = DaemonRollingUpdate.plan(ds, nodes, budget, "new", NOW);
    assertThat(plan.delete()).extracting(p -> p.getMetadata().getName()).containsExactly("p0");
    assertThat(plan.create()).containsExactly("n2"); // one surge slot is held by n1's new pod
  }

  @Test
  void zeroAndZeroMeansOneUnavailable() {
    DaemonSet ds = ds(new IntOrString(0), new IntOrString(0));
    assertThat(DaemonRollingUpdate.budget(ds, 3)).isEqualTo(new DaemonRollingUpdate.Budget(0, 1));
  }
}
