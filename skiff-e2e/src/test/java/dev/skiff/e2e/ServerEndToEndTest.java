package dev.skiff.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testkit.EtcdProcess;
import dev.skiff.testkit.KubeconfigTrust;
import dev.skiff.testkit.Kubectl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a user runs it: a real {@code skiff server} process from the fat
 * jar, driven by the real kubectl, on embedded storage and on a real etcd.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServerEndToEndTest {
  @TempDir Path tmp;

  @Test
  void kubectlTalksToAFreshServer() throws Exception {
    try (SkiffServer server = SkiffServer.start(tmp.resolve("data"))) {
      Kubectl kubectl = server.kubectl();

      assertThat(kubectl.run("version", "-o", "json").assertOk().stdout())
          .contains("\"gitVersion\": \"v1.32.0+skiff\"");
      assertThat(kubectl.run("get", "namespaces", "-o", "name").assertOk().stdout().lines())
          .contains("namespace/default", "namespace/kube-system", "namespace/kube-public",
              "namespace/kube-node-lease");
      assertThat(kubectl.run("get", "--raw", "/readyz?verbose").assertOk().stdout())
          .contains("readyz check passed");
    }
  }

  @Test
  void podsAndDeploymentsRunOnSimulatedNodes() throws Exception {
    try (SkiffServer server = SkiffServer.start(tmp.resolve("data"), "--simulated-nodes", "3")) {
      Kubectl kubectl = server.kubectl();
      awaitOutput(kubectl, "True True True", "get", "nodes", "-o",
          "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}");
      server.awaitDefaultServiceAccount("default");

      kubectl.run("run", "hello", "--image=docker.io/skiff/busybox:1.35").assertOk();
      awaitOutput(kubectl, "Running", "get", "pod", "hello", "-o", "jsonpath={.status.phase}");

      String node = kubectl.run("get", "pod", "hello", "-o", "jsonpath={.spec.nodeName}")
          .assertOk().stdout();
      assertThat(node).startsWith("sim-node-");
      assertThat(kubectl.run("get", "pod", "hello", "-o", "jsonpath={.status.podIP}")
          .assertOk().stdout()).startsWith("10.42.");
      assertThat(kubectl.run("get", "events", "--field-selector", "reason=Scheduled")
          .assertOk().stdout()).contains("Successfully assigned default/hello to " + node);

      // The controller manager turns a Deployment into a ReplicaSet and pods that run.
      kubectl.run("create", "deployment", "web", "--image=docker.io/skiff/busybox:1.35",
          "--replicas=3").assertOk();
      assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=90s")
          .assertOk().stdout()).contains("successfully rolled out");
      assertThat(kubectl.run("get", "replicasets", "-l", "app=web", "-o",
          "jsonpath={.items[*].status.readyReplicas}").assertOk().stdout()).isEqualTo("3");

      // The token controller holds the API server's signing key: a legacy token Secret gets a token.
      Path secret = tmp.resolve("legacy-token.yaml");
      Files.writeString(secret, """
          apiVersion: v1
          kind: Secret
          metadata:
            name: default-token
            annotations: {kubernetes.io/service-account.name: default}
          type: kubernetes.io/service-account-token
          """);
      kubectl.run("apply", "-f", secret.toString()).assertOk();
      awaitOutput(kubectl, "default", "get", "secret", "default-token", "-o", "go-template",
          "--template={{.data.namespace | base64decode}}");
      String token = kubectl.run("get", "secret", "default-token", "-o", "go-template",
          "--template={{.data.token | base64decode}}").assertOk().stdout();
      HttpResponse<String> whoami = KubeconfigTrust.httpClient(server.kubeconfig()).send(
          HttpRequest.newBuilder(URI.create(server.url() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(whoami.statusCode()).isEqualTo(201);
      assertThat(whoami.body()).contains("\"username\":\"system:serviceaccount:default:default\"");
    }
  }

  /**
   * The one-command single-node cluster: as root, {@code skiff server} also runs the node agent,
   * which supervises its own containerd; a pod becomes a real container that answers HTTP on its
   * pod IP from this host.
   */
  @Test
  void asRootTheServerRunsRealContainersOnItsOwnNode() throws Exception {
    boolean bridgeBefore = Files.exists(Path.of("/sys/class/net/skiff0"));
    boolean routeBefore = host("ip", "route", "show", "10.42.0.0/16").contains("unreachable");
    try (SkiffServer server = SkiffServer.startWithAgent(tmp.resolve("data"))) {
      Kubectl kubectl = server.kubectl();
      awaitOutput(kubectl, "True", "get", "nodes", "-o",
          "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}");
      server.awaitDefaultServiceAccount("default");

      kubectl.run("run", "web", "--image=docker.io/skiff/busybox:1.35", "--",
          "sh", "-c", "echo hello-from-web; exec httpd -f -p 8080").assertOk();
      awaitOutput(kubectl, "Running", "get", "pod", "web", "-o", "jsonpath={.status.phase}");
      String ip = kubectl.run("get", "pod", "web", "-o", "jsonpath={.status.podIP}")
          .assertOk().stdout();
      assertThat(ip).startsWith("10.42.0.");
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/"))
              .timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      // busybox httpd with no index page answers 404: what matters is that it answered.
      assertThat(answer.statusCode()).isBetween(200, 404);

      // logs and exec go through the API server to this node's kubelet
      assertThat(kubectl.run("logs", "web").assertOk().stdout()).contains("hello-from-web");
      assertThat(kubectl.run("exec", "web", "--", "sh", "-c", "echo $((6 * 7))").assertOk().stdout().strip())
          .isEqualTo("42");
      assertThat(kubectl.run("exec", "web", "--", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);

      // the ServiceAccount admission plugin mounted a bound token, the cluster CA and the namespace
      String sa = "/var/run/secrets/kubernetes.io/serviceaccount/";
      assertThat(kubectl.run("exec", "web", "--", "cat", sa + "namespace").assertOk().stdout()).isEqualTo("default");
      assertThat(kubectl.run("exec", "web", "--", "cat", sa + "ca.crt").assertOk().stdout())
          .startsWith("-----BEGIN CERTIFICATE-----");
      String token = kubectl.run("exec", "web", "--", "cat", sa + "token").assertOk().stdout().strip();
      HttpResponse<String> whoami = KubeconfigTrust.httpClient(server.kubeconfig()).send(
          HttpRequest.newBuilder(URI.create(server.url() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(whoami.body()).contains("system:serviceaccount:default:default");

      kubectl.run("delete", "pod", "web", "--grace-period=1", "--timeout=60s").assertOk();
      assertThat(kubectl.run("get", "pods", "-o", "name").assertOk().stdout()).isBlank();
    } finally {
      if (!bridgeBefore && Files.exists(Path.of("/sys/class/net/skiff0"))) {
        host("ip", "link", "del", "skiff0");
      }
      if (!routeBefore) {
        host("ip", "route", "del", "unreachable", "10.42.0.0/16", "metric", "4000000000");
      }
    }
  }

  private static String host(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  /** Polls a kubectl command (for up to a minute) until its trimmed output is {@code expected}. */
  private static void awaitOutput(Kubectl kubectl, String expected, String... args)
      throws InterruptedException {
    String last = "";
    for (int i = 0; i < 300; i++) {
      Kubectl.Result r = kubectl.run(args);
      last = r.stdout().strip();
      if (r.exitCode() == 0 && last.equals(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("kubectl " + String.join(" ", args) + " never printed " + expected
        + "; last: " + last);
  }

  @Test
  void objectsAndCredentialsSurviveARestart() throws Exception {
    Path data = tmp.resolve("data");
    int port = SkiffServer.freePort();
    try (SkiffServer server = SkiffServer.start(data, port)) {
      server.kubectl().run("create", "configmap", "kept", "--from-literal=greeting=hello")
          .assertOk();
    }
    String kubeconfigBefore = Files.readString(data.resolve("kubeconfig.yaml"));

    try (SkiffServer again = SkiffServer.start(data, port)) {
      assertThat(Files.readString(again.kubeconfig())).isEqualTo(kubeconfigBefore);
      assertThat(again.kubectl()
          .run("get", "configmap", "kept", "-o", "jsonpath={.data.greeting}").assertOk().stdout())
          .isEqualTo("hello");
    }
  }

  @Test
  void aServerOnEtcdKeepsItsObjectsInEtcd() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      int port = SkiffServer.freePort();
      try (SkiffServer server = SkiffServer.start(tmp.resolve("a"), port,
          "--datastore-endpoint", etcd.clientUri().toString())) {
        server.kubectl().run("create", "namespace", "on-etcd").assertOk();
        server.kubectl().run("create", "configmap", "cm", "-n", "on-etcd",
            "--from-literal=k=v").assertOk();
      }
      // A second server with a new data dir (new certificates) sees the same objects:
      // they live in etcd, not in the data dir.
      try (SkiffServer other = SkiffServer.start(tmp.resolve("b"), port,
          "--datastore-endpoint", etcd.clientUri().toString())) {
        assertThat(other.kubectl().run("get", "configmap", "cm", "-n", "on-etcd",
            "-o", "jsonpath={.data.k}").assertOk().stdout()).isEqualTo("v");
      }
    }
  }

  @Test
  void requestsWithoutValidCredentialsAreRefused() throws Exception {
    try (SkiffServer server = SkiffServer.start(tmp.resolve("data"))) {
      Path badToken = tmp.resolve("bad-token.yaml");
      Files.writeString(badToken, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: skiff
            cluster:
              server: %s
              insecure-skip-tls-verify: true
          users:
          - name: stranger
            user: {token: not-a-token-this-server-issued}
          contexts:
          - name: skiff
            context: {cluster: skiff, user: stranger}
          current-context: skiff
          """.formatted(server.url()));

      Kubectl.Result result = new Kubectl(badToken).run("get", "namespaces");
      assertThat(result.exitCode()).isNotZero();
      assertThat(result.stderr()).contains("You must be logged in to the server");

      // No credentials at all, over TLS verified against the cluster CA.
      HttpResponse<String> anonymous = KubeconfigTrust.httpClient(server.kubeconfig()).send(
          HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("\"kind\":\"Status\"").contains("Unauthorized");
    }
  }

  @Test
  void aBusyPortIsReportedClearly() throws Exception {
    try (SkiffServer first = SkiffServer.start(tmp.resolve("one"))) {
      try (SkiffServer second = SkiffServer.start(tmp.resolve("two"), first.port())) {
        throw new AssertionError("a second server started on a busy port");
      } catch (IllegalStateException e) {
        assertThat(e.getMessage()).contains(Integer.toString(first.port()));
      }
    }
  }
}
