package dev.skiff.kubelet.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.kubelet.cri.ContainerState;
import dev.skiff.kubelet.cri.ContainerStatus;
import dev.skiff.kubelet.cri.SandboxState;
import dev.skiff.kubelet.cri.SandboxStatus;
import dev.skiff.kubelet.cri.SandboxSummary;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pod status made from runtime state, checked against upstream's rules (getPhase, generate.go, qos). */
class PodStatusGeneratorTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void runningContainerMakesARunningReadyPod() {
    Pod pod = pod("Always", List.of(), List.of("app"));
    PodStatus s = PodStatusGenerator.generate(pod, null, observed(true, running("app", 0)), Map.of(), "192.0.2.1",
        T0.plusSeconds(5));
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getPodIP()).isEqualTo("10.42.0.7");
    assertThat(s.getHostIP()).isEqualTo("192.0.2.1");
    assertThat(s.getQosClass()).isEqualTo("BestEffort");
    assertThat(s.getStartTime()).isEqualTo("2026-11-26T10:00:05Z");
    assertThat(s.getConditions()).extracting(PodCondition::getType, PodCondition::getStatus).containsExactly(
        tuple("PodReadyToStartContainers", "True"), tuple("Initialized", "True"), tuple("Ready", "True"),
        tuple("ContainersReady", "True"), tuple("PodScheduled", "True"));
    var cs = s.getContainerStatuses().getFirst();
    assertThat(cs.getContainerID()).isEqualTo("containerd://app-0");
    assertThat(cs.getState().getRunning().getStartedAt()).isEqualTo("2026-11-26T10:00:01Z");
    assertThat(cs.getReady()).isTrue();
  }

  @Test
  void probesDecideReadyAndStartedOfRunningContainers() {
    Pod pod = pod("Always", List.of(), List.of("app", "side"));
    ContainerProbes probes = new ContainerProbes() {
      @Override
      public boolean started(String podUid, io.fabric8.kubernetes.api.model.Container c, String containerId) {
        return !c.getName().equals("side");
      }

      @Override
      public boolean ready(String podUid, io.fabric8.kubernetes.api.model.Container c, String containerId) {
        return false;
      }
    };
    PodStatus s = PodStatusGenerator.generate(pod, null, observed(true, running("app", 0), running("side", 0)),
        Map.of(), "192.0.2.1", T0, probes);
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getContainerStatuses()).extracting(c -> c.getName() + " ready=" + c.getReady() + " started="
        + c.getStarted()).containsExactly("app ready=false started=true", "side ready=false started=false");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "ContainersReady").getReason()).isEqualTo("ContainersNotReady");
    assertThat(condition(s, "ContainersReady").getMessage()).isEqualTo("containers with unready status: [app side]");
  }

  @Test
  void nothingStartedYetIsPendingWithUpstreamsWaitingReasons() {
    PodStatus plain = PodStatusGenerator.generate(pod("Always", List.of(), List.of("app")), null, ObservedPod.NONE,
        Map.of(), "192.0.2.1", T0);
    assertThat(plain.getPhase()).isEqualTo("Pending");
    assertThat(plain.getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    PodStatus withInits = PodStatusGenerator.generate(pod("Always", List.of("init"), List.of("app")), null,
        ObservedPod.NONE, Map.of(), "192.0.2.1", T0);
    assertThat(withInits.getContainerStatuses().getFirst().getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(condition(withInits, "Initialized").getReason()).isEqualTo("ContainersNotInitialized");
    assertThat(condition(withInits, "Initialized").getMessage()).isEqualTo("containers with incomplete status: [init]");
    assertThat(condition(withInits, "Ready").getMessage()).isEqualTo("containers with unready status: [app]");
  }

  @Test
  void phaseFollowsRestartPolicyOnceContainersExit() {
    assertThat(phaseOf("Never", exited("app", 0, 3))).isEqualTo("Failed");
    assertThat(phaseOf("Never", exited("app", 0, 0))).isEqualTo("Succeeded");
    assertThat(phaseOf("OnFailure", exited("app", 0, 0))).isEqualTo("Succeeded");
    assertThat(phaseOf("OnFailure", exited("app", 0, 1))).isEqualTo("Running");
    assertThat(phaseOf("Always", exited("app", 0, 0))).isEqualTo("Running");
  }

  @Test
  void crashLoopShowsWaitingWithTheLastExitAsLastState() {
    Pod pod = pod("Always", List.of(), List.of("app"));
    var held = Map.of("app", new ContainerWaiting("CrashLoopBackOff", "back-off 10s restarting failed container=app"));
    PodStatus s = PodStatusGenerator.generate(pod, null, observed(true, exited("app", 1, 1), exited("app", 0, 1)), held,
        "192.0.2.1", T0);
    var cs = s.getContainerStatuses().getFirst();
    assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(cs.getLastState().getTerminated().getContainerID()).isEqualTo("containerd://app-1");
    assertThat(cs.getRestartCount()).isEqualTo(1);
    assertThat(s.getPhase()).isEqualTo("Running");
  }

  @Test
  void failedInitContainerFailsANeverPodAndKeepsOthersPending() {
    assertThat(PodStatusGenerator.generate(pod("Never", List.of("init"), List.of("app")), null,
        observed(true, exited("init", 0, 2)), Map.of(), "192.0.2.1", T0).getPhase()).isEqualTo("Failed");
    assertThat(PodStatusGenerator.generate(pod("Always", List.of("init"), List.of("app")), null,
        observed(true, exited("init", 0, 2)), Map.of(), "192.0.2.1", T0).getPhase()).isEqualTo("Pending");
  }

  @Test
  void terminalPhaseTransitionTimesAndStartTimeCarryOver() {
    Pod pod = pod("Always", List.of(), List.of("app"));
    PodStatus first = PodStatusGenerator.generate(pod, null, observed(true, running("app", 0)), Map.of(), "h", T0);
    PodStatus later = PodStatusGenerator.generate(pod, first, observed(true, running("app", 0)), Map.of(), "h",
        T0.plusSeconds(60));
    assertThat(later.getStartTime()).isEqualTo(first.getStartTime());
    assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");
    first.setPhase("Failed");
    assertThat(PodStatusGenerator.generate(pod, first, observed(true, running("app", 0)), Map.of(), "h", T0)
        .getPhase()).isEqualTo("Failed");
  }

  @Test
  void qosClassFollowsRequestsAndLimits() {
    Pod guaranteed = pod("Always", List.of(), List.of("app"));
    guaranteed.getSpec().getContainers().getFirst().setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("64Mi")).build());
    assertThat(PodStatusGenerator.qosClass(guaranteed)).isEqualTo("Guaranteed");
    Pod burstable = pod("Always", List.of(), List.of("app"));
    burstable.getSpec().getContainers().getFirst().setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m")).addToLimits("cpu", new Quantity("500m")).build());
    assertThat(PodStatusGenerator.qosClass(burstable)).isEqualTo("Burstable");
  }

  @Test
  void sidecarsCountForReadinessAndNotForTheJobsOutcome() {
    Pod pod = withSidecar(pod("Never", List.of("init"), List.of("app")));
    // the sidecar runs but its startup probe has not passed: still initializing
    ContainerProbes notStarted = probes(false, false);
    PodStatus starting = PodStatusGenerator.generate(pod, null, observed(true, running("side", 0)), Map.of(), "h", T0,
        notStarted);
    assertThat(starting.getPhase()).isEqualTo("Pending");
    assertThat(condition(starting, "Initialized").getMessage())
        .isEqualTo("containers with incomplete status: [side init]");
    // all up, but the sidecar is not ready: the pod is not Ready either
    PodStatus unready = PodStatusGenerator.generate(pod, null, observed(true, running("side", 0), exited("init", 0, 0),
        running("app", 0)), Map.of(), "h", T0, probes(true, false));
    assertThat(unready.getPhase()).isEqualTo("Running");
    assertThat(condition(unready, "Initialized").getStatus()).isEqualTo("True");
    assertThat(condition(unready, "Ready").getMessage()).isEqualTo("containers with unready status: [side app]");
    assertThat(unready.getInitContainerStatuses()).extracting(c -> c.getName() + " ready=" + c.getReady()
        + " started=" + c.getStarted()).containsExactly("side ready=false started=true", "init ready=true started=false");
    // the app is done and the sidecar was stopped (143): the pod succeeded
    PodStatus done = PodStatusGenerator.generate(pod, null, observed(false, exited("side", 0, 143), exited("init", 0, 0),
        exited("app", 0, 0)), Map.of(), "h", T0, probes(true, true));
    assertThat(done.getPhase()).isEqualTo("Succeeded");
    // while the sidecar still runs next to a finished app, the pod is Running (the kubelet stops it next)
    PodStatus draining = PodStatusGenerator.generate(pod, null, observed(true, running("side", 0), exited("init", 0, 0),
        exited("app", 0, 0)), Map.of(), "h", T0, probes(true, true));
    assertThat(draining.getPhase()).isEqualTo("Running");
  }

  private static Pod withSidecar(Pod pod) {
    var side = new ContainerBuilder().withName("side").withImage("img:1").withRestartPolicy("Always").build();
    List<io.fabric8.kubernetes.api.model.Container> inits = new ArrayList<>(List.of(side));
    inits.addAll(pod.getSpec().getInitContainers());
    pod.getSpec().setInitContainers(inits);
    return pod;
  }

  private static ContainerProbes probes(boolean started, boolean ready) {
    return new ContainerProbes() {
      @Override
      public boolean started(String podUid, io.fabric8.kubernetes.api.model.Container c, String containerId) {
        return started;
      }

      @Override
      public boolean ready(String podUid, io.fabric8.kubernetes.api.model.Container c, String containerId) {
        return ready;
      }
    };
  }

  private static String phaseOf(String policy, ContainerStatus... containers) {
    return PodStatusGenerator.generate(pod(policy, List.of(), List.of("app")), null, observed(false, containers),
        Map.of(), "h", T0).getPhase();
  }

  private static PodCondition condition(PodStatus s, String type) {
    return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  private static Pod pod(String policy, List<String> inits, List<String> containers) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
        .withNewSpec().withRestartPolicy(policy)
        .withInitContainers(inits.stream().map(n -> new ContainerBuilder().withName(n).withImage("img:1").build()).toList())
        .withContainers(containers.stream().map(n -> new ContainerBuilder().withName(n).withImage("img:1").build()).toList())
        .endSpec().build();
  }

  /** Containers given newest first per name. */
  private static ObservedPod observed(boolean sandboxReady, ContainerStatus... containers) {
    var sandbox = new SandboxStatus("sb", "p", "ns", "u", 0, sandboxReady ? SandboxState.READY : SandboxState.NOT_READY,
        T0, sandboxReady ? Optional.of("10.42.0.7") : Optional.empty(), List.of());
    Map<String, List<ContainerStatus>> byName = new java.util.HashMap<>();
    for (ContainerStatus c : containers) {
      byName.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c);
    }
    return new ObservedPod(List.of(new SandboxSummary("sb", "p", "ns", "u", 0, sandbox.state(), T0, Map.of())),
        Optional.of(sandbox), byName);
  }

  private static ContainerStatus running(String name, int attempt) {
    return new ContainerStatus(name + "-" + attempt, name, attempt, ContainerState.RUNNING, T0,
        Optional.of(T0.plusSeconds(1)), Optional.empty(), 0, "img:1", "sha256:abc", "", "", Optional.empty());
  }

  private static ContainerStatus exited(String name, int attempt, int exitCode) {
    return new ContainerStatus(name + "-" + attempt, name, attempt, ContainerState.EXITED, T0,
        Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(2)), exitCode, "img:1", "sha256:abc",
        exitCode == 0 ? "Completed" : "Error", "", Optional.empty());
  }
}
