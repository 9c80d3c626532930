package dev.skiff.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** maxSurge/maxUnavailable resolution and rollout sizes, as upstream's deployment util tests. */
class ReplicaMathTest {
  record Fence(String surge, String unavailable, int desired, int wantSurge, int wantUnavailable) {}

  static IntOrString ios(String v) {
    return v.endsWith("%") ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
  }

  static Stream<Fence> fenceposts() {
    return Stream.of(
        new Fence("25%", "25%", 5, 2, 1), // surge rounds up, unavailable down
        new Fence("25%", "25%", 4, 1, 1),
        new Fence("25%", "25%", 1, 1, 0),
        new Fence("0", "0", 10, 0, 1), // both zero: one unavailable
        new Fence("0%", "0%", 10, 0, 1),
        new Fence("10%", "10%", 10, 1, 1),
        new Fence("3", "2", 10, 3, 2),
        new Fence("50%", "0", 3, 2, 0),
        new Fence("100%", "100%", 7, 7, 7));
  }

  @ParameterizedTest
  @MethodSource("fenceposts")
  void resolvesFencepostsAsUpstream(Fence c) {
    var f = ReplicaMath.resolve(ios(c.surge()), ios(c.unavailable()), c.desired());
    assertThat(f.maxSurge()).isEqualTo(c.wantSurge());
    assertThat(f.maxUnavailable()).isEqualTo(c.wantUnavailable());
  }

  @Test
  void rejectsStringsThatAreNotPercentages() {
    assertThatThrownBy(() -> ReplicaMath.scaled(new IntOrString("abc"), 10, true)).isInstanceOf(IllegalArgumentException.class);
  }

  static Deployment rolling(int replicas, String surge, String unavailable) {
    return new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec().withReplicas(replicas)
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(ios(surge))
        .withMaxUnavailable(ios(unavailable)).endRollingUpdate().endStrategy().endSpec().build();
  }

  static ReplicaSet rs(String name, int replicas, Integer maxReplicasAnnotation) {
    var b = new ReplicaSetBuilder().withNewMetadata().withName(name)
        .withAnnotations(maxReplicasAnnotation == null ? Map.of() : Map.of(Revisions.MAX_REPLICAS, maxReplicasAnnotation.toString()))
        .endMetadata().withNewSpec().withReplicas(replicas).endSpec();
    return b.build();
  }

  @Test
  void newReplicaSetGrowsWithinSurge() {
    Deployment d = rolling(5, "25%", "25%"); // surge 2: at most 7 in all
    ReplicaSet old = rs("old", 5, null);
    ReplicaSet fresh = rs("new", 0, null);
    assertThat(ReplicaMath.newReplicaSetReplicas(d, List.of(old, fresh), fresh)).isEqualTo(2);
    ReplicaSet grown = rs("new", 2, null);
    assertThat(ReplicaMath.newReplicaSetReplicas(d, List.of(old, grown), grown)).as("no room left").isEqualTo(2);
    ReplicaSet shrunk = rs("old", 3, null);
    assertThat(ReplicaMath.newReplicaSetReplicas(d, List.of(shrunk, grown), grown)).isEqualTo(4);
    assertThat(ReplicaMath.maxUnavailable(rolling(0, "25%", "25%"))).isZero();
    assertThat(ReplicaMath.maxUnavailable(rolling(2, "0", "5"))).as("never above the desired count").isEqualTo(2);
  }

  @Test
  void proportionFollowsTheMaxReplicasAnnotation() {
    // scaled from 10 (max 13 with surge 3) to 20 (max 25 with surge 5) mid-rollout: toAdd = 25 - 13 = 12
    Deployment d = rolling(20, "25%", "25%");
    ReplicaSet big = rs("big", 8, 13);
    ReplicaSet small = rs("small", 5, 13);
    int first = ReplicaMath.proportion(big, d, 12, 0);
    int second = ReplicaMath.proportion(small, d, 12, first);
    assertThat(first).isEqualTo(Math.round(8f * 25 / 13) - 8);
    assertThat(first + second).isLessThanOrEqualTo(12);
    assertThat(ReplicaMath.proportion(rs("empty", 0, 13), d, 12, 0)).isZero();
  }
}
