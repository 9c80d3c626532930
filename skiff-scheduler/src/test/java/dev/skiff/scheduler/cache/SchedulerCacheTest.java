package dev.skiff.scheduler.cache;

import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Snapshot;
import org.junit.jupiter.api.Test;

import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerCacheTest {

    final SchedulerCache cache = new SchedulerCache();
    final Snapshot snapshot = new Snapshot(ClusterLister.EMPTY);

    @Test
    void assumedPodsCountAtOnceAndCanBeForgotten() {
        cache.addNode(node("n1").build());
        PodInfo p = pod("p").container("cpu=1").info();
        cache.assumePod(p, "n1");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n1").requested().milliCpu()).isEqualTo(1000);
        assertThat(cache.isAssumed("default/p")).isTrue();
        assertThatThrownBy(() -> cache.assumePod(p, "n1")).isInstanceOf(IllegalStateException.class);
        cache.forgetPod("default/p");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n1").requested().milliCpu()).isZero();
        assertThat(snapshot.get("n1").pods()).isEmpty();
    }

    @Test
    void confirmationReplacesTheAssumptionAndAMoveIsFollowed() {
        cache.addNode(node("n1").build());
        cache.addNode(node("n2").build());
        PodInfo p = pod("p").container("cpu=1").info();
        cache.assumePod(p, "n1");
        cache.addOrUpdateBoundPod(p, "n1");
        assertThat(cache.isAssumed("default/p")).isFalse();
        cache.forgetPod("default/p"); // no-op once confirmed
        cache.addOrUpdateBoundPod(p, "n2");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n1").pods()).isEmpty();
        assertThat(snapshot.get("n2").pods()).extracting(PodInfo::key).containsExactly("default/p");
        assertThat(cache.podCount()).isEqualTo(1);
    }

    @Test
    void aNodeUpdateRefreshesOnlyThatNodesCopy() {
        cache.addNode(node("n1").zone("a").build());
        cache.addNode(node("n2").zone("b").build());
        cache.updateSnapshot(snapshot);
        NodeInfo n2 = snapshot.get("n2");
        cache.updateNode(node("n1").zone("a").taint("k", "v", "NoSchedule").build());
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n2")).isSameAs(n2);
        assertThat(snapshot.get("n1").node().getSpec().getTaints()).hasSize(1);
        cache.updateNode(node("n1").zone("c").image("app:v1", 1).build());
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n1").labels()).containsEntry("topology.kubernetes.io/zone", "c");
        assertThat(snapshot.nodesWithImage("app:v1")).isEqualTo(1);
    }

    @Test
    void podsOfUnknownNodesAttachWhenTheNodeAppears() {
        cache.addOrUpdateBoundPod(pod("early").container("cpu=2").info(), "late-node");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.size()).isZero();
        cache.addNode(node("late-node").build());
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("late-node").requested().milliCpu()).isEqualTo(2000);
        cache.removeNode("late-node");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.size()).isZero();
    }

    @Test
    void snapshotCopiesOnlyChangedNodes() {
        cache.addNode(node("n1").zone("a").build());
        cache.addNode(node("n2").zone("a").build());
        cache.addNode(node("n3").zone("b").build());
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.nodes()).extracting(NodeInfo::name).as("zones interleaved").containsExactly("n1", "n3", "n2");
        NodeInfo n2Before = snapshot.get("n2");
        NodeInfo n1Before = snapshot.get("n1");
        cache.assumePod(pod("p").requiredAntiAffinity("kubernetes.io/hostname", "app", "x").info(), "n1");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n2")).isSameAs(n2Before);
        assertThat(snapshot.get("n1")).isNotSameAs(n1Before);
        assertThat(n1Before.pods()).as("earlier snapshots' copies stay as they were").isEmpty();
        assertThat(snapshot.nodesWithRequiredAntiAffinityPods()).extracting(NodeInfo::name).containsExactly("n1");
        assertThat(snapshot.nodesWithAffinityPods()).extracting(NodeInfo::name).containsExactly("n1");
    }
}
