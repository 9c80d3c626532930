package dev.skiff.scheduler.plugins.interpodaffinity;

import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.TestPods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.skiff.scheduler.framework.TestFrameworks.filter;
import static dev.skiff.scheduler.framework.TestFrameworks.only;
import static dev.skiff.scheduler.framework.TestFrameworks.scores;
import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

class InterPodAffinityTest {

    static final String ZONE = "topology.kubernetes.io/zone";
    static final String HOST = "kubernetes.io/hostname";
    static final String OK = "ok";
    static final String AFF = InterPodAffinity.REASON_AFFINITY;
    static final String ANTI = InterPodAffinity.REASON_ANTI_AFFINITY;
    static final String EXISTING = InterPodAffinity.REASON_EXISTING_ANTI_AFFINITY;

    /** zone a: a1 runs a cache pod; a2 empty. zone b: b1 runs a pod that refuses "web" in its zone. */
    static List<NodeInfo> cluster() {
        return List.of(
                node("a1").zone("a").info(pod("cache").label("app", "cache")),
                node("a2").zone("a").info(),
                node("b1").zone("b").info(pod("loner").label("app", "loner").requiredAntiAffinity(ZONE, "app", "web")),
                node("b2").zone("b").info());
    }

    record Case(String name, TestPods pod, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("affinity to cache zone", pod("p").requiredAffinity(ZONE, "app", "cache"),
                        Map.of("a1", OK, "a2", OK, "b1", AFF, "b2", AFF)),
                new Case("affinity to cache host", pod("p").requiredAffinity(HOST, "app", "cache"),
                        Map.of("a1", OK, "a2", AFF, "b1", AFF, "b2", AFF)),
                new Case("affinity to nothing existing, not self", pod("p").label("app", "x").requiredAffinity(HOST, "app", "nothing"),
                        Map.of("a1", AFF, "a2", AFF, "b1", AFF, "b2", AFF)),
                new Case("first of a self-affine group goes anywhere", pod("p").label("app", "group").requiredAffinity(ZONE, "app", "group"),
                        Map.of("a1", OK, "a2", OK, "b1", OK, "b2", OK)),
                new Case("anti-affinity to cache zone", pod("p").requiredAntiAffinity(ZONE, "app", "cache"),
                        Map.of("a1", ANTI, "a2", ANTI, "b1", OK, "b2", OK)),
                new Case("existing pod's anti-affinity repels web from zone b", pod("p").label("app", "web"),
                        Map.of("a1", OK, "a2", OK, "b1", EXISTING, "b2", EXISTING)),
                new Case("other namespace is not selected", pod("p").namespace("other").requiredAntiAffinity(ZONE, "app", "cache"),
                        Map.of("a1", OK, "a2", OK, "b1", OK, "b2", OK)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filters(Case c) {
        var statuses = filter(only(ClusterLister.EMPTY, InterPodAffinity.NAME), c.pod().info(), Snapshot.of(ClusterLister.EMPTY, cluster()));
        assertThat(statuses.keySet()).isEqualTo(c.expected().keySet());
        statuses.forEach((node, s) -> {
            String want = c.expected().get(node);
            if (want.equals(OK)) {
                assertThat(s).as(node).isEqualTo(Status.SUCCESS);
            } else {
                assertThat(s.reasons()).as(node).containsExactly(want);
                assertThat(((Status.Unschedulable) s).unresolvable()).as(node).isEqualTo(want.equals(AFF));
            }
        });
    }

    @Test
    void preferredAffinityAndAntiAffinityScore() {
        var s = scores(only(ClusterLister.EMPTY, InterPodAffinity.NAME),
                pod("p").preferredAffinity(10, ZONE, "app", "cache").preferredAntiAffinity(5, HOST, "app", "loner").info(),
                Snapshot.of(ClusterLister.EMPTY, cluster()));
        // a1, a2: +10 (zone a); b1: -5; b2: 0 -> normalized between -5 and 10
        assertThat(s).containsEntry("a1", 100L).containsEntry("a2", 100L).containsEntry("b1", 0L).containsEntry("b2", 33L);
    }

    @Test
    void existingPodsRequiredAffinityAttractsWithWeightOne() {
        List<NodeInfo> nodes = List.of(
                node("n1").info(pod("fan").label("app", "fan").requiredAffinity(HOST, "app", "star")),
                node("n2").info());
        var s = scores(only(ClusterLister.EMPTY, InterPodAffinity.NAME), pod("star").label("app", "star").info(),
                Snapshot.of(ClusterLister.EMPTY, nodes));
        assertThat(s).containsEntry("n1", 100L).containsEntry("n2", 0L);
    }
}
