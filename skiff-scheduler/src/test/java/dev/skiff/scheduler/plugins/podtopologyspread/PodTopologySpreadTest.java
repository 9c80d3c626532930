package dev.skiff.scheduler.plugins.podtopologyspread;

import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.InMemoryClusterLister;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.TestPods;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
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

class PodTopologySpreadTest {

    static final String ZONE = "topology.kubernetes.io/zone";
    static final String HOST = "kubernetes.io/hostname";

    /** zone a: a1 (2 app pods), a2 (0); zone b: b1 (1 app pod); c1 has no zone label. */
    static List<NodeInfo> cluster() {
        return List.of(
                node("a1").zone("a").info(pod("x1").label("app", "web"), pod("x2").label("app", "web"), pod("o").label("app", "db")),
                node("a2").zone("a").info(),
                node("b1").zone("b").info(pod("x3").label("app", "web"), pod("other-ns").namespace("other").label("app", "web")),
                node("c1").info());
    }

    record Case(String name, TestPods pod, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String OK = "ok";
    static final String SKEW = PodTopologySpread.REASON_NOT_MATCH;
    static final String MISSING = PodTopologySpread.REASON_MISSING_LABEL;

    static Stream<Case> cases() {
        return Stream.of(
                // zone a has 2, zone b 1: adding to a gives skew 3-1=2 > 1
                new Case("zone maxSkew 1", pod("p").label("app", "web").spread(1, ZONE, "DoNotSchedule", "app", "web"),
                        Map.of("a1", SKEW, "a2", SKEW, "b1", OK, "c1", MISSING)),
                new Case("zone maxSkew 2", pod("p").label("app", "web").spread(2, ZONE, "DoNotSchedule", "app", "web"),
                        Map.of("a1", OK, "a2", OK, "b1", OK, "c1", MISSING)),
                // hosts a1=2, a2=0, b1=1: min 0; a1 -> 3 > 1, b1 -> 2 > 1
                new Case("hostname maxSkew 1", pod("p").label("app", "web").spread(1, HOST, "DoNotSchedule", "app", "web"),
                        Map.of("a1", SKEW, "a2", OK, "b1", SKEW, "c1", OK)),
                // the pod does not match its own selector: no self count
                new Case("no self match", pod("p").label("app", "other").spread(1, HOST, "DoNotSchedule", "app", "web"),
                        Map.of("a1", SKEW, "a2", OK, "b1", OK, "c1", OK)),
                new Case("soft constraints never filter", pod("p").label("app", "web").spread(1, ZONE, "ScheduleAnyway", "app", "web"),
                        Map.of("a1", OK, "a2", OK, "b1", OK, "c1", OK)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filters(Case c) {
        var statuses = filter(only(ClusterLister.EMPTY, PodTopologySpread.NAME), c.pod().info(),
                Snapshot.of(ClusterLister.EMPTY, cluster()));
        assertThat(statuses.keySet()).isEqualTo(c.expected().keySet());
        statuses.forEach((node, s) -> {
            String want = c.expected().get(node);
            if (want.equals(OK)) {
                assertThat(s).as(node).isEqualTo(Status.SUCCESS);
            } else {
                assertThat(s.reasons()).as(node).containsExactly(want);
                assertThat(((Status.Unschedulable) s).unresolvable()).as(node).isEqualTo(want.equals(MISSING));
            }
        });
    }

    @Test
    void softConstraintPrefersEmptierDomains() {
        var s = scores(only(ClusterLister.EMPTY, PodTopologySpread.NAME),
                pod("p").label("app", "web").spread(1, HOST, "ScheduleAnyway", "app", "web").info(),
                Snapshot.of(ClusterLister.EMPTY, cluster()));
        assertThat(s.get("a2")).isEqualTo(100L);
        assertThat(s.get("a2")).isGreaterThan(s.get("b1"));
        assertThat(s.get("b1")).isGreaterThan(s.get("a1"));
    }

    @Test
    void systemDefaultsApplyToPodsOwnedByAReplicaSet() {
        InMemoryClusterLister lister = new InMemoryClusterLister();
        lister.add(new ReplicaSetBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build()).endSpec().build());
        var withOwner = scores(only(lister, PodTopologySpread.NAME), pod("p").label("app", "web").info(), Snapshot.of(lister, cluster()));
        assertThat(withOwner.get("a2")).isGreaterThan(withOwner.get("a1"));
        // nodes without a zone still count: defaults do not require every key
        assertThat(withOwner.get("c1")).isGreaterThan(withOwner.get("a1"));

        var noOwner = scores(only(lister, PodTopologySpread.NAME), pod("p").label("app", "db").info(), Snapshot.of(lister, cluster()));
        assertThat(noOwner.values()).containsOnly(0L);
    }
}
