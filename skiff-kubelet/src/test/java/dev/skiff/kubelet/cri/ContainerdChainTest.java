package dev.skiff.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.kubelet.HostCommand;
import dev.skiff.kubelet.cni.BridgeNetwork;
import dev.skiff.kubelet.cni.Ipv4Cidr;
import dev.skiff.kubelet.cni.UnreachableRoute;
import dev.skiff.kubelet.containerd.ContainerdConfig;
import dev.skiff.kubelet.containerd.ContainerdSupervisor;
import dev.skiff.kubelet.image.BusyboxImages;
import dev.skiff.kubelet.image.ImageImporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole runtime chain on the real machine: Skiff starts its own containerd, imports its
 * busybox and pause images, and runs a pod through CRI with a CNI bridge network; the test then
 * reads the container's log, talks HTTP to the pod IP, and takes everything down again.
 * Needs root, containerd, runc, the CNI plugins and busybox-static (bin/test installs them).
 */
class ContainerdChainTest {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerdChainTest.class);
  private static final Ipv4Cidr CLUSTER_CIDR = Ipv4Cidr.parse("10.42.0.0/16");
  private static final Ipv4Cidr POD_CIDR = Ipv4Cidr.parse("10.42.0.0/24");
  private static final String BRIDGE = "skiff0";
  /** Unlikely to be in use on a developer's machine; DNAT for it exists only while the pod runs. */
  private static final int HOST_PORT = 41_080;

  @TempDir
  Path tmp;

  @Test
  void podRunsServesAndLogsThroughContainerdRuncAndCni() throws Exception {
    assertThat(new com.sun.security.auth.module.UnixSystem().getUid())
        .as("this test runs containers and must run as root").isZero();
    var images = BusyboxImages.debian();
    Path archive = tmp.resolve("skiff-images.tar");
    images.writeLayout(archive);

    var route = UnreachableRoute.forClusterCidr(CLUSTER_CIDR);
    boolean addedRoute = route.ensure();
    boolean bridgeExisted = linkExists(BRIDGE);
    boolean portmapChainsExisted = portmapChainsExist();
    Path data = tmp.resolve("node");
    var config = ContainerdConfig.debianDefaults(data, images.pauseReference());
    new BridgeNetwork("skiff", BRIDGE, POD_CIDR, data.resolve("cni").resolve("ipam")).writeTo(config.cniConfDir());

    long containerdPid;
    try (var containerd = ContainerdSupervisor.start(config, Duration.ofSeconds(30));
         var cri = CriConnection.open(containerd.socket(), Duration.ofMinutes(1))) {
      containerdPid = containerd.pid().orElseThrow();
      LOG.info("containerd start: socket listening after {} ms, CRI Version answered after {} ms",
          containerd.readiness().socketAfter().toMillis(), containerd.readiness().readyAfter().toMillis());
      assertThat(containerd.version().runtimeName()).isEqualTo("containerd");
      assertThat(containerd.version().runtimeApiVersion()).isEqualTo("v1");
      try {
        attachingLeavesContainerdRunning(containerd);
        importedImagesAreListed(cri, containerd.socket(), archive, images);
        runPod(cri, images);
      } finally {
        removeAllSandboxes(cri);
      }
    }
    assertThat(ProcessHandle.of(containerdPid).map(ProcessHandle::isAlive).orElse(false))
        .as("containerd stopped").isFalse();
    assertThat(processesMentioning(data.toString())).as("no shim or container left behind").isEmpty();

    if (!bridgeExisted) {
      run("ip", "link", "del", BRIDGE);
    }
    if (!portmapChainsExisted) {
      removePortmapChains();
    }
    if (addedRoute) {
      assertThat(route.remove()).isTrue();
    }
  }

  private void attachingLeavesContainerdRunning(ContainerdSupervisor owned) throws IOException {
    try (var attached = ContainerdSupervisor.attach(owned.socket(), Duration.ofSeconds(5))) {
      assertThat(attached.supervised()).isFalse();
      assertThat(attached.pid()).isEmpty();
      assertThat(attached.version()).isEqualTo(owned.version());
    }
    long pid = owned.pid().orElseThrow();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("closing an attached endpoint leaves containerd alone").isTrue();
  }

  private void importedImagesAreListed(CriConnection cri, Path socket, Path archive, BusyboxImages images)
      throws IOException {
    long begin = System.nanoTime();
    List<String> imported = ImageImporter.forSocket(socket).importArchive(archive);
    LOG.info("ctr images import: {} ms", (System.nanoTime() - begin) / 1_000_000);
    assertThat(imported).containsExactlyInAnyOrder(images.busyboxReference(), images.pauseReference());
    assertThat(cri.images().listImages())
        .flatExtracting(ImageInfo::repoTags)
        .contains(images.busyboxReference(), images.pauseReference());
    assertThat(cri.images().imageStatus(images.busyboxReference())).hasValueSatisfying(i -> {
      assertThat(i.id()).startsWith("sha256:");
      assertThat(i.size()).isPositive();
    });
    assertThat(cri.images().imageStatus("docker.io/skiff/absent:0")).isEmpty();
  }

  private void runPod(CriConnection cri, BusyboxImages images) throws Exception {
    RuntimeService runtime = cri.runtime();
    String uid = UUID.randomUUID().toString();
    Path logDir = tmp.resolve("pods").resolve("default_web_" + uid);
    var sandboxSpec = new PodSandboxSpec("web", "default", uid, 0, "web", logDir, java.util.Map.of("app", "web"),
        java.util.Map.of(), List.of(new PortMapping(PortMapping.Protocol.TCP, 8080, HOST_PORT, "")),
        PodSandboxSpec.DnsSettings.NODE_DEFAULT);
    assertThat(runtime.conditions()).containsEntry("RuntimeReady", true).containsEntry("NetworkReady", true);

    long t0 = System.nanoTime();
    String sandboxId = runtime.runPodSandbox(sandboxSpec);
    long t1 = System.nanoTime();
    SandboxStatus sandbox = runtime.podSandboxStatus(sandboxId);
    assertThat(sandbox.state()).isEqualTo(SandboxState.READY);
    assertThat(sandbox.name()).isEqualTo("web");
    assertThat(sandbox.uid()).isEqualTo(uid);
    String podIp = sandbox.ip().orElseThrow(() -> new AssertionError("sandbox has no IP"));
    assertThat(POD_CIDR.contains(podIp)).as("pod IP %s in %s", podIp, POD_CIDR).isTrue();
    assertThat(podIp).isNotEqualTo(POD_CIDR.gateway());

    var container = new ContainerSpec("httpd", 0, images.busyboxReference(), List.of("sh", "-c",
        "echo skiff-container-says-$GREETING; mkdir -p /www; echo hello-from-$(hostname) > /www/index.html; "
            + "exec httpd -f -p 8080 -h /www"), List.of(), List.of(new EnvVar("GREETING", "hello")), "",
        "httpd/0.log", java.util.Map.of(), java.util.Map.of());
    long t2 = System.nanoTime();
    String containerId = runtime.createContainer(sandboxId, container, sandboxSpec);
    long t3 = System.nanoTime();
    runtime.startContainer(containerId);
    long t4 = System.nanoTime();
    LOG.info("RunPodSandbox {} ms, CreateContainer {} ms, StartContainer {} ms; pod IP {}",
        (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, podIp);

    Path logFile = logDir.resolve("httpd").resolve("0.log");
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(logFile) && Files.readString(logFile).contains("skiff-container-says-hello"));
    // CRI log format: RFC3339Nano timestamp, stream, full/partial tag, the line
    assertThat(Files.readAllLines(logFile)).anySatisfy(line ->
        assertThat(line).matches("\\S+ stdout F skiff-container-says-hello"));

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    var request = HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/index.html"))
        .timeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> response = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
    assertThat(response.body().strip()).isEqualTo("hello-from-web");
    // the hostPort, through the portmap plugin's DNAT from the node's loopback
    var viaHostPort = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HOST_PORT + "/index.html"))
        .timeout(Duration.ofSeconds(2)).build();
    assertThat(http.send(viaHostPort, HttpResponse.BodyHandlers.ofString()).body().strip()).isEqualTo("hello-from-web");

    ContainerStatus running = runtime.containerStatus(containerId);
    assertThat(running.state()).isEqualTo(ContainerState.RUNNING);
    assertThat(running.name()).isEqualTo("httpd");
    assertThat(running.startedAt()).isPresent();
    assertThat(running.finishedAt()).isEmpty();
    assertThat(running.logPath()).contains(logFile);
    assertThat(runtime.listContainers(Optional.of(sandboxId)))
        .extracting(ContainerSummary::id, ContainerSummary::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(containerId, ContainerState.RUNNING));

    // a second container that ends by itself: its exit code and reason come back through CRI
    var failing = new ContainerSpec("once", 0, images.busyboxReference(), List.of("sh", "-c", "echo bye; exit 3"),
        List.of(), List.of(), "", "once/0.log", java.util.Map.of(), java.util.Map.of());
    String onceId = runtime.createContainer(sandboxId, failing, sandboxSpec);
    runtime.startContainer(onceId);
    ContainerStatus exited = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> runtime.containerStatus(onceId), st -> st.state() == ContainerState.EXITED);
    assertThat(exited.exitCode()).isEqualTo(3);
    assertThat(exited.reason()).isEqualTo("Error");
    assertThat(exited.finishedAt()).isPresent();
    assertThat(Files.readString(logDir.resolve("once/0.log"))).contains(" stdout F bye");
    runtime.removeContainer(onceId);

    long t5 = System.nanoTime();
    runtime.stopContainer(containerId, Duration.ofSeconds(5));
    long t6 = System.nanoTime();
    ContainerStatus stopped = runtime.containerStatus(containerId);
    assertThat(stopped.state()).isEqualTo(ContainerState.EXITED);
    assertThat(stopped.finishedAt()).isPresent();
    runtime.removeContainer(containerId);
    runtime.removeContainer(containerId); // idempotent, as CRI promises
    assertThat(runtime.listContainers(Optional.of(sandboxId))).isEmpty();

    long t7 = System.nanoTime();
    runtime.stopPodSandbox(sandboxId);
    long t8 = System.nanoTime();
    assertThat(runtime.podSandboxStatus(sandboxId).state()).isEqualTo(SandboxState.NOT_READY);
    runtime.removePodSandbox(sandboxId);
    LOG.info("StopContainer {} ms, StopPodSandbox {} ms", (t6 - t5) / 1_000_000, (t8 - t7) / 1_000_000);
    assertThat(runtime.listPodSandboxes()).extracting(SandboxSummary::id).doesNotContain(sandboxId);
    try {
      runtime.podSandboxStatus(sandboxId);
      throw new AssertionError("a removed sandbox still has a status");
    } catch (CriException e) {
      assertThat(e.notFound()).as(e.getMessage()).isTrue();
    }
  }

  /** Stops and removes whatever sandboxes a failed assertion left, so that no shim outlives the test. */
  private static void removeAllSandboxes(CriConnection cri) {
    for (SandboxSummary s : cri.runtime().listPodSandboxes()) {
      LOG.info("cleaning up sandbox {}", s.id());
      cri.runtime().stopPodSandbox(s.id());
      cri.runtime().removePodSandbox(s.id());
    }
  }

  private static List<String> processesMentioning(String text) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
  }

  private static boolean portmapChainsExist() throws IOException {
    return new HostCommand(List.of("iptables", "-t", "nat", "-S", "CNI-HOSTPORT-DNAT"), Duration.ofSeconds(10))
        .run().succeeded();
  }

  /**
   * The portmap plugin removes a pod's own rules on teardown but keeps its shared chains and their
   * jumps (as on any Kubernetes node); a test that brought them leaves the machine as it found it.
   */
  private static void removePortmapChains() throws Exception {
    run("iptables", "-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "CNI-HOSTPORT-DNAT");
    run("iptables", "-t", "nat", "-D", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "CNI-HOSTPORT-DNAT");
    run("iptables", "-t", "nat", "-D", "POSTROUTING", "-m", "comment", "--comment", "CNI portfwd requiring masquerade",
        "-j", "CNI-HOSTPORT-MASQ");
    for (String chain : List.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK")) {
      run("iptables", "-t", "nat", "-F", chain);
      run("iptables", "-t", "nat", "-X", chain);
    }
  }

  private static boolean linkExists(String device) {
    return Files.exists(Path.of("/sys/class/net", device));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }
}
