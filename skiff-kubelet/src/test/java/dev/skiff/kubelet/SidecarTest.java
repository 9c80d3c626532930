package dev.skiff.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.kubelet.image.BusyboxImages;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sidecar containers (init containers with restartPolicy Always) on real containerd, as upstream's
 * test/e2e_node/container_lifecycle_test.go checks them: start order gated on the sidecar's startup
 * probe, readiness counting for the pod, restarts, stop order on deletion, and a Never pod that
 * completes when its regular container is done. The containers share a hostPath directory under
 * the test's temp dir, where they leave marks of what they saw.
 */
class SidecarTest {

  private static final String NS = "sc";

  @TempDir static Path tmp;
  static TestNode node;
  static String busybox;

  @BeforeAll
  static void start() throws Exception {
    busybox = BusyboxImages.debian().busyboxReference();
    node = new TestNode(tmp, "skiff-sidecar-node", NS, () -> {});
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void sidecarsStartInOrderKeepRunningRestartAndStopLast() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared-a"));
    // each sidecar marks itself up after a moment, exits when asked, and logs its SIGTERM
    Container proxy = sidecar("proxy", "sleep 2; touch /shared/proxy-up; "
        + "while true; do if [ -f /shared/proxy-exit ]; then rm /shared/proxy-exit; exit 2; fi; sleep 0.2; done")
        .withStartupProbe(exec("cat", "/shared/proxy-up"))
        .withReadinessProbe(exec("cat", "/shared/proxy-up")).build();
    Container logger = sidecar("logger", "while true; do sleep 0.2; done").build();
    // the plain init container fails (and would restart) unless the proxy has started before it
    Container setup = container("setup", "test -f /shared/proxy-up && echo ok > /shared/setup-saw").build();
    Container app = container("app", "trap 'echo app >> /shared/order; exit 0' TERM; while true; do sleep 0.2; done")
        .build();
    node.client.pods().inNamespace(NS).resource(pod("web", "Always", shared, List.of(proxy, setup, logger),
        app)).create();

    Pod running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get("web"), p -> "True".equals(condition(p, "Ready")));
    assertThat(running.getStatus().getPhase()).isEqualTo("Running");
    assertThat(condition(running, "Initialized")).isEqualTo("True");
    assertThat(Files.readString(shared.resolve("setup-saw"))).isEqualTo("ok\n");
    ContainerStatus setupStatus = init(running, "setup").orElseThrow();
    assertThat(setupStatus.getRestartCount()).as("setup ran once, after the proxy had started").isZero();
    assertThat(setupStatus.getState().getTerminated().getExitCode()).isZero();
    for (String name : List.of("proxy", "logger")) {
      ContainerStatus s = init(running, name).orElseThrow();
      assertThat(s.getState().getRunning()).as(name + " keeps running").isNotNull();
      assertThat(s.getStarted()).as(name + " started").isTrue();
      assertThat(s.getReady()).as(name + " ready").isTrue();
    }
    assertThat(running.getStatus().getContainerStatuses().getFirst().getReady()).isTrue();

    // a sidecar that exits is restarted, and the pod stays Running; its unreadiness shows in Ready
    Files.writeString(shared.resolve("proxy-exit"), "");
    Pod restarted = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get("web"), p -> init(p, "proxy").map(s -> s.getRestartCount() >= 1
            && s.getState().getRunning() != null && Boolean.TRUE.equals(s.getReady())).orElse(false));
    assertThat(init(restarted, "proxy").orElseThrow().getLastState().getTerminated().getExitCode()).isEqualTo(2);
    assertThat(restarted.getStatus().getPhase()).isEqualTo("Running");
    assertThat(init(restarted, "setup").orElseThrow().getRestartCount()).as("setup is not run again").isZero();
    assertThat(restarted.getStatus().getContainerStatuses().getFirst().getRestartCount()).isZero();

    // deletion: the app stops first, then the sidecars, the last started first
    node.client.pods().inNamespace(NS).withName("web").delete();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> get("web") == null);
    assertThat(Files.readAllLines(shared.resolve("order"))).containsExactly("app", "logger", "proxy");
  }

  @Test
  void aNeverPodCompletesWhenItsContainerIsDoneAndItsSidecarIsStopped() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared-b"));
    Container logger = sidecar("logger", "while true; do sleep 0.2; done").build();
    Container main = container("main", "sleep 1; echo done > /shared/main").build();
    node.client.pods().inNamespace(NS).resource(pod("job", "Never", shared, List.of(logger), main)).create();

    Pod done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> get("job"), p -> p != null && p.getStatus() != null
            && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()));
    assertThat(done.getStatus().getPhase()).as("the sidecar's stop does not fail the pod").isEqualTo("Succeeded");
    assertThat(init(done, "logger").orElseThrow().getState().getTerminated()).as("sidecar stopped").isNotNull();
    assertThat(done.getStatus().getContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isZero();
    assertThat(condition(done, "Ready")).isEqualTo("False");
  }

  private static ContainerBuilder container(String name, String script) {
    return new ContainerBuilder().withName(name).withImage(busybox).withCommand("sh", "-c", script)
        .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount();
  }

  /** A sidecar that records its SIGTERM in /shared/order. */
  private static ContainerBuilder sidecar(String name, String script) {
    return container(name, "trap 'echo " + name + " >> /shared/order; exit 0' TERM; " + script)
        .withRestartPolicy("Always");
  }

  private static Probe exec(String... command) {
    return new ProbeBuilder().withNewExec().withCommand(command).endExec().withPeriodSeconds(1)
        .withFailureThreshold(30).withTimeoutSeconds(2).build();
  }

  private static Pod pod(String name, String restartPolicy, Path shared, List<Container> inits, Container main) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withNodeName(node.node).withRestartPolicy(restartPolicy).withInitContainers(inits)
        .withContainers(main).withTerminationGracePeriodSeconds(10L)
        .addNewVolume().withName("shared").withNewHostPath().withPath(shared.toString()).endHostPath().endVolume()
        .endSpec().build();
  }

  private static Pod get(String name) {
    return node.client.pods().inNamespace(NS).withName(name).get();
  }

  private static Optional<ContainerStatus> init(Pod p, String container) {
    return p == null || p.getStatus() == null || p.getStatus().getInitContainerStatuses() == null ? Optional.empty()
        : p.getStatus().getInitContainerStatuses().stream().filter(s -> s.getName().equals(container)).findFirst();
  }

  private static String condition(Pod p, String type) {
    return p == null || p.getStatus() == null || p.getStatus().getConditions() == null ? ""
        : p.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).map(c -> c.getStatus())
            .findFirst().orElse("");
  }
}
