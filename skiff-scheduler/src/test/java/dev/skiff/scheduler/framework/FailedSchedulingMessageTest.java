package dev.skiff.scheduler.framework;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FailedSchedulingMessageTest {

    record Case(String name, Diagnosis diagnosis, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, Status> statuses(Object... nodeAndStatus) {
        Map<String, Status> m = new HashMap<>();
        for (int i = 0; i < nodeAndStatus.length; i += 2) {
            m.put((String) nodeAndStatus[i], (Status) nodeAndStatus[i + 1]);
        }
        return m;
    }

    static Stream<Case> cases() {
        Status cpu = Status.unschedulable("Insufficient cpu");
        Status cpuMem = Status.unschedulable("Insufficient cpu", "Insufficient memory");
        Status taint = Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}");
        return Stream.of(
                new Case("one reason", new Diagnosis(3, statuses("a", cpu, "b", cpu, "c", cpu), null, Set.of(), "", ""),
                        "0/3 nodes are available: 3 Insufficient cpu."),
                new Case("reasons counted per node and sorted", new Diagnosis(3, statuses("a", cpuMem, "b", taint, "c", cpu), null, Set.of(), "", ""),
                        "0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu."),
                new Case("sorted as strings, as upstream", new Diagnosis(12, statuses(
                        "1", cpu, "2", cpu, "3", cpu, "4", cpu, "5", cpu, "6", cpu, "7", cpu, "8", cpu, "9", cpu, "10", cpu, "11", taint, "12", taint),
                        null, Set.of(), "", ""),
                        "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}."),
                new Case("absent nodes get the absent status", new Diagnosis(5, statuses("a", cpu), Status.unresolvable("Preemption is not helpful for scheduling"),
                        Set.of(), "", ""), "0/5 nodes are available: 1 Insufficient cpu, 4 Preemption is not helpful for scheduling."),
                new Case("prefilter message once", new Diagnosis(4, Map.of(), Status.unresolvable("x"), Set.of(), "node(s) had volume node affinity conflict", ""),
                        "0/4 nodes are available: node(s) had volume node affinity conflict."),
                new Case("postfilter appended", new Diagnosis(1, statuses("a", cpu), null, Set.of(), "",
                        "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."),
                        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.."),
                new Case("no nodes", new Diagnosis(0, Map.of(), null, Set.of(), "", ""), "0/0 nodes are available:"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void formats(Case c) {
        assertThat(FailedSchedulingMessage.of(c.diagnosis())).isEqualTo(c.message());
    }
}
