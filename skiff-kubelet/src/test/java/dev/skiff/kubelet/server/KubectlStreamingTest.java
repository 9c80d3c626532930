package dev.skiff.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.pki.CertificateAuthority;
import dev.skiff.apiserver.pki.Credential;
import dev.skiff.kubelet.Kubelet;
import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.cni.Ipv4Cidr;
import dev.skiff.kubelet.cni.UnreachableRoute;
import dev.skiff.kubelet.cri.SandboxSummary;
import dev.skiff.kubelet.image.BusyboxImages;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl 1.32 against an in-process API server and kubelet (its server on 127.0.0.1,
 * its Node's InternalIP 127.0.0.1) running busybox pods in real containerd: logs, exec, port-forward,
 * cp, and the Status errors. Needs root, containerd, runc, the CNI plugins and busybox-static.
 */
class KubectlStreamingTest {

  private static final String NODE = "skiff-stream-node";
  private static final String NS = "st";
  private static final String SCRIPT = "mkdir -p /www && echo hello-pf > /www/index.html && httpd -p 8080 -h /www"
      + " && echo line1 && sleep 0.3 && echo err1 >&2 && sleep 0.3 && echo line2"
      + " && while true; do if [ -f /tmp/more ]; then echo later; rm /tmp/more; fi; sleep 0.2; done";

  @TempDir static Path tmp;
  static Store store;
  static ApiServer server;
  static KubernetesClient client;
  static Kubelet kubelet;
  static Kubectl kubectl;
  static UnreachableRoute route;
  static boolean routeExisted;
  /** What of the pod network (the skiff0 bridge) this test brings, to take away afterwards. */
  static dev.skiff.kubelet.HostFootprint footprint;

  @BeforeAll
  static void start() throws Exception {
    assertThat(new com.sun.security.auth.module.UnixSystem().getUid()).as("runs containers: root only").isZero();
    footprint = dev.skiff.kubelet.HostFootprint.before("skiff0");
    route = UnreachableRoute.forClusterCidr(Ipv4Cidr.parse("10.42.0.0/16"));
    routeExisted = route.present();
    store = SqliteStore.open(tmp.resolve("state.db"));
    Path apiDir = tmp.resolve("api");
    server = new ApiServer(new ApiServerConfig(apiDir, "127.0.0.1", 0, store, null, null));
    server.start();
    client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    kubectl = new Kubectl(server.kubeconfig());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();

    // the kubelet's serving certificate, issued by the cluster CA for its address
    Path tls = apiDir.resolve("tls");
    var ca = new CertificateAuthority(Credential.read(tls, "ca"));
    Path nodeTls = Files.createDirectories(tmp.resolve("node-tls"));
    ca.issueServing(NODE, List.of(NODE), List.of(InetAddress.getByName("127.0.0.1"))).write(nodeTls, "kubelet");
    var serverConfig = new KubeletServerConfig("127.0.0.1", 0, nodeTls.resolve("kubelet.crt"),
        nodeTls.resolve("kubelet.key"), tls.resolve("ca.crt"));

    var defaults = KubeletConfig.defaults(tmp.resolve("node"));
    var config = new KubeletConfig(NODE, defaults.dataDir(), defaults.runtime(), defaults.defaultPodCidr(),
        defaults.clusterCidr(), Optional.of("127.0.0.1"), defaults.nodeStatusInterval(), Duration.ofSeconds(2),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2));
    kubelet = new Kubelet(client, config, Optional.of(serverConfig));

    create(pod("web", "Always", SCRIPT));
    create(pod("crash", "Always", "echo run-$(date +%s%N); sleep 1; exit 1"));
    await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(phase("web")));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (kubelet != null) {
        client.pods().inNamespace(NS).withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> kubelet.cri().runtime().listPodSandboxes().isEmpty());
        for (SandboxSummary s : kubelet.cri().runtime().listPodSandboxes()) {
          kubelet.cri().runtime().stopPodSandbox(s.id());
          kubelet.cri().runtime().removePodSandbox(s.id());
        }
        kubelet.close();
      }
    } finally {
      if (client != null) {
        client.close();
      }
      if (server != null) {
        server.close();
      }
      if (store != null) {
        store.close();
      }
      if (footprint != null) {
        footprint.restore();
      }
      if (route != null && !routeExisted) {
        route.remove();
      }
    }
  }

  @Test
  void nodeReportsTheServedPort() {
    int port = client.nodes().withName(NODE).get().getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    assertThat(port).isPositive().isNotEqualTo(10250);
  }

  @Test
  void logsWithTailTimestampsAndLimit() {
    await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("-n", NS, "logs", "web").stdout().contains("line2"));
    assertThat(kubectl.run("-n", NS, "logs", "web").assertOk().stdout()).startsWith("line1\nerr1\nline2\n");
    assertThat(kubectl.run("-n", NS, "logs", "web", "--tail=1").assertOk().stdout()).isEqualTo("line2\n");
    assertThat(kubectl.run("-n", NS, "logs", "web", "--limit-bytes=3").assertOk().stdout()).isEqualTo("lin");
    assertThat(kubectl.run("-n", NS, "logs", "web", "--timestamps", "--tail=1").assertOk().stdout())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z line2\n");
    assertThat(kubectl.run("-n", NS, "logs", "web", "-c", "web", "--since=1h").assertOk().stdout()).contains("line1");
  }

  @Test
  void followSeesALaterLine() throws Exception {
    Process follow = kubectl.start("-n", NS, "logs", "-f", "web");
    try {
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      Thread reader = Thread.ofVirtual().start(() -> copy(follow.getInputStream(), seen));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.toString(StandardCharsets.UTF_8).contains("line2"));
      kubectl.run("-n", NS, "exec", "web", "--", "touch", "/tmp/more").assertOk();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.toString(StandardCharsets.UTF_8).contains("later"));
      assertThat(follow.isAlive()).as("follow keeps streaming").isTrue();
      reader.interrupt();
    } finally {
      follow.destroy();
      follow.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void attachStreamsTheMainProcessOutput() throws Exception {
    Process attach = kubectl.start("-n", NS, "attach", "web");
    try {
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      Thread.ofVirtual().start(() -> copy(attach.getInputStream(), seen));
      // attach shows only what the process writes from now on: poke it until a line arrives
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
        kubectl.run("-n", NS, "exec", "web", "--", "touch", "/tmp/more").assertOk();
        synchronized (seen) {
          return seen.toString(StandardCharsets.UTF_8).contains("later");
        }
      });
      assertThat(attach.isAlive()).as("attach stays until the container ends").isTrue();
    } finally {
      attach.destroy();
      attach.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void previousLogsAfterARestart() {
    await().atMost(Duration.ofSeconds(60)).until(() -> restarts("crash") >= 1);
    var previous = kubectl.run("-n", NS, "logs", "crash", "--previous").assertOk().stdout();
    assertThat(previous).startsWith("run-");
  }

  @Test
  void execPropagatesOutputAndExitCode() {
    var r = kubectl.run("-n", NS, "exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).contains("err\n");
    assertThat(kubectl.run("-n", NS, "exec", "web", "--", "cat", "/www/index.html").assertOk().stdout())
        .isEqualTo("hello-pf\n");
  }

  @Test
  void execReadsStdin() throws Exception {
    Path input = Files.writeString(tmp.resolve("stdin.txt"), "from-stdin\n");
    var cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", server.kubeconfig().toString(), "-n", NS,
        "exec", "-i", "web", "--", "head", "-n", "1"));
    Process p = new ProcessBuilder(cmd).redirectInput(input.toFile()).start();
    try {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exec -i ends").isTrue();
      assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from-stdin\n");
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void portForwardCarriesHttp() throws Exception {
    int local;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      local = s.getLocalPort();
    }
    Process pf = kubectl.start("-n", NS, "port-forward", "pod/web", local + ":8080");
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/index.html"))
          .timeout(Duration.ofSeconds(10)).build();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
          .until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()).body().equals("hello-pf\n"));
      // a second connection through the same session
      assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello-pf\n");
    } finally {
      pf.destroy();
      pf.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void copyOutAndIn() throws Exception {
    Path out = tmp.resolve("copied-out.html");
    kubectl.run("cp", NS + "/web:/www/index.html", out.toString()).assertOk();
    assertThat(Files.readString(out)).isEqualTo("hello-pf\n");
    Path in = Files.writeString(tmp.resolve("to-pod.txt"), "copied-in\n");
    kubectl.run(Duration.ofSeconds(60), "cp", in.toString(), NS + "/web:/tmp/in.txt").assertOk();
    assertThat(kubectl.run("-n", NS, "exec", "web", "--", "cat", "/tmp/in.txt").assertOk().stdout())
        .isEqualTo("copied-in\n");
  }

  @Test
  void interactiveExecOnATerminalFollowsItsSize() throws Exception {
    try (var terminal = new TerminalSession(tmp, List.of("kubectl", "--kubeconfig", server.kubeconfig().toString(),
        "-n", NS, "exec", "-it", "web", "--", "sh"), 33, 111, 44, 122)) {
      // kubectl sends the terminal's size when it starts: the shell in the pod sees it
      terminal.typeUntilShown("stty size\n", "33 111", Duration.ofSeconds(30));
      terminal.typeUntilShown("echo $((6*7))\n", "42", Duration.ofSeconds(10));
      // a resized window reaches CRI's resize channel
      terminal.resize();
      terminal.typeUntilShown("stty size\n", "44 122", Duration.ofSeconds(20));
      terminal.type("exit 0\n");
      assertThat(terminal.waitFor(Duration.ofSeconds(20))).as("kubectl ends with the shell").isZero();
      assertThat(terminal.screen()).as("nothing but what the shell wrote").doesNotContain("\0");
    }
  }

  @Test
  void attachToAContainerWithStdinAndATerminal() throws Exception {
    create(new PodBuilder().withNewMetadata().withName("console").withNamespace(NS).endMetadata()
        .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(0L)
        .addNewContainer().withName("console").withImage(busybox()).withCommand("sh").withStdin(true).withTty(true)
        .endContainer().endSpec().build());
    await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(phase("console")));
    try (var terminal = new TerminalSession(tmp, List.of("kubectl", "--kubeconfig", server.kubeconfig().toString(),
        "-n", NS, "attach", "-it", "console"), 30, 100, 31, 101)) {
      // sh, the container's main process, reads what is typed: its stdin was kept open
      terminal.typeUntilShown("echo attached-$((6*7))\n", "attached-42", Duration.ofSeconds(30));
      terminal.typeUntilShown("stty size\n", "30 100", Duration.ofSeconds(10));
      assertThat(terminal.screen()).doesNotContain("\0");
    }
    assertThat(phase("console")).as("detaching leaves the container running").isEqualTo("Running");
  }

  @Test
  void errorsAreStatuses() {
    var missing = kubectl.run("-n", NS, "logs", "nosuch");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr()).contains("pods \"nosuch\" not found");
    var badContainer = kubectl.run("-n", NS, "exec", "web", "-c", "nope", "--", "true");
    assertThat(badContainer.exitCode()).isNotZero();
    assertThat(badContainer.stderr()).contains("container nope is not valid for pod web");
    var badLogContainer = kubectl.run("-n", NS, "logs", "web", "-c", "nope");
    assertThat(badLogContainer.stderr()).contains("container nope is not valid for pod web");
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (out) {
          out.write(buf, 0, n);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  private static Pod pod(String name, String restartPolicy, String script) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withNodeName(NODE).withRestartPolicy(restartPolicy).withTerminationGracePeriodSeconds(0L)
        .addNewContainer().withName(name).withImage(busybox()).withCommand("sh", "-c", script).endContainer()
        .endSpec().build();
  }

  private static void create(Pod pod) {
    client.pods().inNamespace(NS).resource(pod).create();
  }

  private static String phase(String name) {
    Pod p = client.pods().inNamespace(NS).withName(name).get();
    return p == null || p.getStatus() == null ? "" : p.getStatus().getPhase();
  }

  private static int restarts(String name) {
    Pod p = client.pods().inNamespace(NS).withName(name).get();
    if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        || p.getStatus().getContainerStatuses().isEmpty()) {
      return 0;
    }
    return p.getStatus().getContainerStatuses().getFirst().getRestartCount();
  }

  private static String busybox() {
    try {
      return BusyboxImages.debian().busyboxReference();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
