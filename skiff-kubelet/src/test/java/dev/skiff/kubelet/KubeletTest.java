package dev.skiff.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.kubelet.cni.Ipv4Cidr;
import dev.skiff.kubelet.cri.ContainerSummary;
import dev.skiff.kubelet.cri.SandboxSummary;
import dev.skiff.kubelet.image.BusyboxImages;
import dev.skiff.kubelet.pods.RuntimeLabels;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet on the real machine: an in-process API server on SQLite, fabric8 as the kubelet's
 * client, containerd started by the kubelet, busybox pods bound to the node by the test (no
 * scheduler runs). Needs root, containerd, runc, the CNI plugins and busybox-static.
 */
class KubeletTest {

  private static final Logger LOG = LoggerFactory.getLogger(KubeletTest.class);
  private static final String NODE = "skiff-test-node";
  private static final String NS = "kl";
  private static final Ipv4Cidr POD_CIDR = Ipv4Cidr.parse("10.42.0.0/24");
  private static final String BUSYBOX = "docker.io/skiff/busybox:"
      + busyboxTag();

  @TempDir static Path tmp;
  static TestNode node;
  static ApiServer server;
  static KubernetesClient client;
  static Kubelet kubelet;
  static KubeletConfig config;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(tmp, NODE, NS, () -> { });
    server = node.server;
    client = node.client;
    config = node.config;
    kubelet = node.kubelet;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      // the restart test replaces the kubelet
      node.kubelet = kubelet;
      node.close();
    }
  }

  @Test
  void nodeIsRegisteredReadyAndRenewsItsLease() {
    Node node = await().atMost(Duration.ofSeconds(15)).until(() -> client.nodes().withName(NODE).get(),
        n -> n != null && ready(n).isPresent());
    NodeCondition ready = ready(node).orElseThrow();
    assertThat(ready.getReason()).isEqualTo("KubeletReady");
    assertThat(ready.getMessage()).isEqualTo("kubelet is posting ready status");
    assertThat(node.getStatus().getConditions()).extracting(NodeCondition::getType, NodeCondition::getStatus,
            NodeCondition::getReason)
        .contains(org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False", "KubeletHasSufficientMemory"),
            org.assertj.core.groups.Tuple.tuple("DiskPressure", "False", "KubeletHasNoDiskPressure"),
            org.assertj.core.groups.Tuple.tuple("PIDPressure", "False", "KubeletHasSufficientPID"));
    assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.42.0.0/24");
    var capacity = node.getStatus().getCapacity();
    assertThat(capacity.get("pods")).isEqualTo(new Quantity("110"));
    assertThat(capacity.get("cpu").getNumericalAmount().intValue()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(capacity.get("memory").getNumericalAmount().longValue()).isGreaterThan(256L * 1024 * 1024);
    assertThat(capacity.get("ephemeral-storage").getNumericalAmount().longValue()).isPositive();
    assertThat(node.getStatus().getAllocatable().get("memory").getNumericalAmount())
        .isLessThan(capacity.get("memory").getNumericalAmount());
    var info = node.getStatus().getNodeInfo();
    assertThat(info.getKubeletVersion()).isEqualTo("v1.32.0+skiff");
    assertThat(info.getContainerRuntimeVersion()).startsWith("containerd://1.");
    assertThat(info.getKernelVersion()).isEqualTo(firstLine("/proc/sys/kernel/osrelease"));
    assertThat(info.getOsImage()).isNotBlank();
    assertThat(node.getStatus().getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
        .containsExactly("InternalIP=127.0.0.1", "Hostname=" + NODE);
    assertThat(node.getStatus().getImages()).flatExtracting(i -> i.getNames()).contains(BUSYBOX);
    assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", NODE);

    var lease = client.leases().inNamespace("kube-node-lease").withName(NODE).get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(NODE);
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(lease.getMetadata().getOwnerReferences()).extracting(o -> o.getKind() + "/" + o.getName())
        .containsExactly("Node/" + NODE);
    var first = lease.getSpec().getRenewTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.leases().inNamespace("kube-node-lease")
        .withName(NODE).get().getSpec().getRenewTime(), t -> t.isAfter(first));
  }

  @Test
  void httpdPodRunsWithAnIpAndAnswersFromTheHost() throws Exception {
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("web-config")
        .endMetadata().addToData("greeting", "hello-from-configmap").build()).create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("web-secret")
        .endMetadata().addToStringData("token", "s3cret").build()).create();
    Container httpd = new ContainerBuilder().withName("httpd").withImage(BUSYBOX)
        .withCommand("sh", "-c")
        .withArgs("WD=$(pwd); mkdir -p /www; cd /www; echo \"$POD_NAME $POD_IP $NODE $GREETING $TOKEN $WD\" > index.html;"
            + " cat /sys/fs/cgroup/memory/memory.limit_in_bytes > mem.txt; exec httpd -f -p 8080 -h /www")
        .withWorkingDir("/tmp")
        .addNewPort().withContainerPort(8080).endPort()
        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "web-config", false)
        .endValueFrom().endEnv()
        .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "web-secret", false)
        .endValueFrom().endEnv()
        .withNewResources().addToLimits("memory", new Quantity("64Mi")).addToLimits("cpu", new Quantity("500m"))
        .endResources()
        .build();
    Pod pod = pod("web", "Always", List.of(), List.of(httpd), 5);
    var timeline = new Timeline();
    Pod running;
    try (Watch w = watchPod("web", timeline)) {
      timeline.begin();
      client.pods().inNamespace(NS).resource(pod).create();
      running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> client.pods().inNamespace(NS).withName("web").get(),
              p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                  && condition(p, "Ready").map(c -> c.getStatus().equals("True")).orElse(false));
      await().atMost(Duration.ofSeconds(5)).until(() -> timeline.saw("Ready"));
    }
    LOG.info("pod create to Running, per step (watch): {}", timeline);
    String ip = running.getStatus().getPodIP();
    assertThat(POD_CIDR.contains(ip)).as("pod IP %s", ip).isTrue();
    assertThat(running.getStatus().getPodIPs()).extracting(p -> p.getIp()).containsExactly(ip);
    assertThat(running.getStatus().getHostIP()).isEqualTo("127.0.0.1");
    assertThat(running.getStatus().getStartTime()).isNotNull();
    // limits alone: the requests default to them, so the pod is Guaranteed, as upstream rules
    assertThat(running.getStatus().getQosClass()).isEqualTo("Guaranteed");
    assertThat(running.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("PodReadyToStartContainers", "True"),
            org.assertj.core.groups.Tuple.tuple("Initialized", "True"),
            org.assertj.core.groups.Tuple.tuple("Ready", "True"),
            org.assertj.core.groups.Tuple.tuple("ContainersReady", "True"),
            org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"));
    var cs = running.getStatus().getContainerStatuses().getFirst();
    assertThat(cs.getContainerID()).startsWith("containerd://");
    assertThat(cs.getImageID()).startsWith("sha256:");
    assertThat(cs.getImage()).isEqualTo(BUSYBOX);
    assertThat(cs.getReady()).isTrue();
    assertThat(cs.getStarted()).isTrue();
    assertThat(cs.getRestartCount()).isZero();
    assertThat(cs.getState().getRunning().getStartedAt()).isNotNull();

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    var request = HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html"))
        .timeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> response = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
    assertThat(response.body().strip())
        .isEqualTo("web " + ip + " " + NODE + " hello-from-configmap s3cret /tmp");
    var mem = HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/mem.txt")).timeout(Duration.ofSeconds(2)).build();
    assertThat(http.send(mem, HttpResponse.BodyHandlers.ofString()).body().strip())
        .as("the memory limit reached the container's cgroup").isEqualTo(Long.toString(64L * 1024 * 1024));

    // the CRI objects carry upstream's labels, and the logs lie where upstream puts them
    assertThat(kubelet.cri().runtime().listContainers(Optional.empty()))
        .filteredOn(c -> running.getMetadata().getUid().equals(c.labels().get(RuntimeLabels.POD_UID)))
        .extracting(c -> c.labels().get(RuntimeLabels.CONTAINER_NAME)).containsExactly("httpd");
    assertThat(tmp.resolve("node/pods/" + NS + "_web_" + running.getMetadata().getUid() + "/httpd/0.log")).exists();

    var kubectl = new Kubectl(server.kubeconfig());
    String wide = kubectl.run("get", "pods", "-n", NS, "web", "-o", "wide").assertOk().stdout();
    LOG.info("kubectl get pods -o wide:\n{}", wide);
    assertThat(wide.lines().skip(1).findFirst().orElseThrow())
        .matches("web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+" + java.util.regex.Pattern.quote(ip) + "\\s+" + NODE + "\\s+.*");
  }

  @Test
  void containerExitingThreeWithRestartNeverFailsThePod() {
    Container c = new ContainerBuilder().withName("once").withImage(BUSYBOX)
        .withCommand("sh", "-c", "echo bye; exit 3").build();
    client.pods().inNamespace(NS).resource(pod("fails", "Never", List.of(), List.of(c), 5)).create();
    Pod failed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.pods().inNamespace(NS).withName("fails").get(),
            p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()));
    var cs = failed.getStatus().getContainerStatuses().getFirst();
    assertThat(cs.getState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(cs.getState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(cs.getState().getTerminated().getFinishedAt()).isNotNull();
    assertThat(cs.getRestartCount()).isZero();
    assertThat(condition(failed, "Ready").orElseThrow().getReason()).isEqualTo("PodCompleted");
    // restartPolicy Never: it is not started again
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> client.pods().inNamespace(NS)
        .withName("fails").get().getStatus().getContainerStatuses().getFirst().getRestartCount() == 0);
  }

  @Test
  void crashingContainerWithRestartAlwaysBacksOff() {
    Container c = new ContainerBuilder().withName("crash").withImage(BUSYBOX)
        .withCommand("sh", "-c", "exit 1").build();
    var reasons = new CopyOnWriteArrayList<String>();
    try (Watch w = client.pods().inNamespace(NS).withName("crashy").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
          pod.getStatus().getContainerStatuses().forEach(s -> {
            if (s.getState().getWaiting() != null) {
              reasons.add(s.getState().getWaiting().getReason() + "@" + s.getRestartCount());
            }
          });
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      client.pods().inNamespace(NS).resource(pod("crashy", "Always", List.of(), List.of(c), 5)).create();
      Pod looping = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> client.pods().inNamespace(NS).withName("crashy").get(),
              // fabric8 gives an empty list, not null, before the kubelet's first status
              p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                  && !p.getStatus().getContainerStatuses().isEmpty()
                  && p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 2);
      LOG.info("waiting reasons seen: {}", reasons);
      assertThat(reasons).anyMatch(r -> r.startsWith("CrashLoopBackOff"));
      assertThat(looping.getStatus().getPhase()).isEqualTo("Running");
      var cs = looping.getStatus().getContainerStatuses().getFirst();
      assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    }
  }

  @Test
  void initContainersRunFirstAndInOrder() {
    List<Container> inits = List.of(
        new ContainerBuilder().withName("first").withImage(BUSYBOX).withCommand("sh", "-c", "sleep 1").build(),
        new ContainerBuilder().withName("second").withImage(BUSYBOX).withCommand("sh", "-c", "sleep 1").build());
    Container main = new ContainerBuilder().withName("main").withImage(BUSYBOX)
        .withCommand("sh", "-c", "sleep 3600").build();
    client.pods().inNamespace(NS).resource(pod("inits", "Always", inits, List.of(main), 1)).create();
    Pod running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.pods().inNamespace(NS).withName("inits").get(),
            p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    var first = running.getStatus().getInitContainerStatuses().get(0).getState().getTerminated();
    var second = running.getStatus().getInitContainerStatuses().get(1).getState().getTerminated();
    assertThat(first.getReason()).isEqualTo("Completed");
    assertThat(second.getReason()).isEqualTo("Completed");
    Instant firstStart = Instant.parse(first.getStartedAt());
    Instant firstEnd = Instant.parse(first.getFinishedAt());
    Instant secondStart = Instant.parse(second.getStartedAt());
    Instant secondEnd = Instant.parse(second.getFinishedAt());
    Instant mainStart = Instant.parse(running.getStatus().getContainerStatuses().getFirst().getState().getRunning()
        .getStartedAt());
    assertThat(secondStart).isAfterOrEqualTo(firstEnd);
    assertThat(secondEnd).isAfter(firstStart);
    assertThat(mainStart).isAfterOrEqualTo(secondEnd);
    assertThat(condition(running, "Initialized").orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  void deletionStopsContainersWithinTheGracePeriodAndRemovesThePod() {
    // the shell ignores SIGTERM: only the SIGKILL after the grace period ends it
    Container stubborn = new ContainerBuilder().withName("stubborn").withImage(BUSYBOX)
        .withCommand("sh", "-c", "trap '' TERM; while true; do sleep 1; done").build();
    client.pods().inNamespace(NS).resource(pod("doomed", "Always", List.of(), List.of(stubborn), 3)).create();
    Pod running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.pods().inNamespace(NS).withName("doomed").get(),
            p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    String uid = running.getMetadata().getUid();
    long begin = System.nanoTime();
    client.pods().inNamespace(NS).withName("doomed").delete();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> client.pods().inNamespace(NS).withName("doomed").get() == null);
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    LOG.info("delete (grace 3 s, SIGTERM ignored) to pod gone: {} ms", took.toMillis());
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(2_500)).isLessThan(Duration.ofSeconds(10));
    assertThat(kubelet.cri().runtime().listContainers(Optional.empty()))
        .noneMatch(c -> uid.equals(c.labels().get(RuntimeLabels.POD_UID)));
    assertThat(kubelet.cri().runtime().listPodSandboxes())
        .noneMatch(s -> uid.equals(s.labels().get(RuntimeLabels.POD_UID)));
  }

  @Test
  void restartedKubeletAdoptsTheRunningPodFoundByItsLabels() throws Exception {
    Container sleeper = new ContainerBuilder().withName("sleeper").withImage(BUSYBOX)
        .withCommand("sh", "-c", "sleep 3600").build();
    client.pods().inNamespace(NS).resource(pod("survivor", "Always", List.of(), List.of(sleeper), 1)).create();
    Pod before = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.pods().inNamespace(NS).withName("survivor").get(),
            p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    String containerId = before.getStatus().getContainerStatuses().getFirst().getContainerID();

    kubelet.close();
    long begin = System.nanoTime();
    kubelet = new Kubelet(client, config);
    LOG.info("kubelet restart (containerd restart included): {} ms", (System.nanoTime() - begin) / 1_000_000);
    // a few relists later the pod is still the same container, not restarted and not duplicated
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).until(() -> {
      Pod p = client.pods().inNamespace(NS).withName("survivor").get();
      var cs = p.getStatus().getContainerStatuses().getFirst();
      return "Running".equals(p.getStatus().getPhase()) && containerId.equals(cs.getContainerID())
          && cs.getRestartCount() == 0;
    });
    String uid = before.getMetadata().getUid();
    assertThat(kubelet.cri().runtime().listContainers(Optional.empty()))
        .filteredOn(c -> uid.equals(c.labels().get(RuntimeLabels.POD_UID)))
        .extracting(c -> "containerd://" + c.id()).containsExactly(containerId);
  }

  private static Pod pod(String name, String restartPolicy, List<Container> inits, List<Container> containers,
      long grace) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", name).endMetadata()
        .withNewSpec().withNodeName(NODE).withRestartPolicy(restartPolicy).withInitContainers(inits)
        .withContainers(containers).withTerminationGracePeriodSeconds(grace).endSpec()
        .build();
  }

  private static Optional<NodeCondition> ready(Node n) {
    return n.getStatus() == null || n.getStatus().getConditions() == null ? Optional.empty()
        : n.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Ready") && c.getStatus().equals("True")).findFirst();
  }

  private static Optional<PodCondition> condition(Pod p, String type) {
    return p.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  private static Watch watchPod(String name, Consumer<Pod> onEvent) {
    return client.pods().inNamespace(NS).withName(name).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        onEvent.accept(pod);
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  /** When, after creation, the watch first saw each step of a pod's start. */
  private static final class Timeline implements Consumer<Pod> {
    private volatile long begin;
    private final Map<String, Long> firstSeen = new java.util.concurrent.ConcurrentSkipListMap<>();

    void begin() {
      begin = System.nanoTime();
    }

    boolean saw(String step) {
      return firstSeen.containsKey(step);
    }

    @Override
    public void accept(Pod pod) {
      long at = (System.nanoTime() - begin) / 1_000_000;
      var s = pod.getStatus();
      mark("Added", at);
      if (s == null) {
        return;
      }
      if (s.getPhase() != null) {
        mark("phase " + s.getPhase(), at);
      }
      if (s.getConditions() != null) {
        s.getConditions().stream().filter(c -> "True".equals(c.getStatus())).forEach(c -> mark(c.getType(), at));
      }
      if (s.getContainerStatuses() != null) {
        s.getContainerStatuses().forEach(c -> {
          if (c.getState().getWaiting() != null) {
            mark("waiting " + c.getState().getWaiting().getReason(), at);
          } else if (c.getState().getRunning() != null) {
            mark("container running", at);
          }
        });
      }
    }

    private void mark(String step, long at) {
      firstSeen.putIfAbsent(step, at);
    }

    @Override
    public String toString() {
      List<Map.Entry<String, Long>> steps = new ArrayList<>(firstSeen.entrySet());
      steps.sort(Map.Entry.comparingByValue());
      return steps.stream().map(e -> e.getKey() + " +" + e.getValue() + " ms").toList().toString();
    }
  }

  private static String busyboxTag() {
    try {
      var ref = BusyboxImages.debian().busyboxReference();
      return ref.substring(ref.lastIndexOf(':') + 1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String firstLine(String file) {
    try {
      return Files.readAllLines(Path.of(file)).getFirst().strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
