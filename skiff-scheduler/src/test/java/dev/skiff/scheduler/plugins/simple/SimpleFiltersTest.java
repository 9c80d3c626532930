package dev.skiff.scheduler.plugins.simple;

import dev.skiff.scheduler.framework.ClusterLister;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.TestPods;
import dev.skiff.scheduler.plugins.nodename.NodeName;
import dev.skiff.scheduler.plugins.nodeports.NodePorts;
import dev.skiff.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.skiff.scheduler.framework.TestFrameworks.filter;
import static dev.skiff.scheduler.framework.TestFrameworks.only;
import static dev.skiff.scheduler.framework.TestFrameworks.snapshot;
import static dev.skiff.scheduler.framework.TestNodes.node;
import static dev.skiff.scheduler.framework.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** NodeUnschedulable, NodeName and NodePorts: one-line filters, one table. */
class SimpleFiltersTest {

    record Case(String name, String plugin, TestPods pod, NodeInfo node, String reason, boolean unresolvable) {
        @Override
        public String toString() {
            return plugin + ": " + name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("schedulable node", NodeUnschedulable.NAME, pod("p"), node("n").info(), null, false),
                new Case("cordoned node", NodeUnschedulable.NAME, pod("p"), node("n").unschedulable().info(), "node(s) were unschedulable", true),
                new Case("cordon tolerated", NodeUnschedulable.NAME,
                        pod("p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule"),
                        node("n").unschedulable().info(), null, false),
                new Case("no node name", NodeName.NAME, pod("p"), node("n").info(), null, false),
                new Case("this node named", NodeName.NAME, pod("p").nodeName("n"), node("n").info(), null, false),
                new Case("other node named", NodeName.NAME, pod("p").nodeName("m"), node("n").info(),
                        "node(s) didn't match the requested node name", true),
                new Case("free port", NodePorts.NAME, pod("p").hostPort(80, "TCP", ""), node("n").info(pod("e").hostPort(81, "TCP", "")), null, false),
                new Case("port taken on any ip", NodePorts.NAME, pod("p").hostPort(80, "TCP", "10.0.0.1"),
                        node("n").info(pod("e").hostPort(80, "TCP", "")), "node(s) didn't have free ports for the requested pod ports", false),
                new Case("same port other protocol", NodePorts.NAME, pod("p").hostPort(53, "UDP", ""),
                        node("n").info(pod("e").hostPort(53, "TCP", "")), null, false),
                new Case("same port other ip", NodePorts.NAME, pod("p").hostPort(80, "TCP", "10.0.0.1"),
                        node("n").info(pod("e").hostPort(80, "TCP", "10.0.0.2")), null, false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filters(Case c) {
        Status s = filter(only(ClusterLister.EMPTY, c.plugin()), c.pod().info(), snapshot(c.node())).get("n");
        if (c.reason() == null) {
            assertThat(s).isEqualTo(Status.SUCCESS);
        } else {
            assertThat(s).isInstanceOfSatisfying(Status.Unschedulable.class, u -> {
                assertThat(u.reasons()).containsExactly(c.reason());
                assertThat(u.unresolvable()).isEqualTo(c.unresolvable());
            });
        }
    }
}
