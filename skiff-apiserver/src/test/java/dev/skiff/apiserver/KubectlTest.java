package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.testkit.Kubectl;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.storage.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl v1.32 against an in-process ApiServer, asserting on what kubectl prints. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KubectlTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    Path tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, "s3cret-token,alice,uid-alice,\"devs,ops\"\n");
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, tokens, null));
    server.start();
    kubectl = new Kubectl(server.kubeconfig());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** A kubeconfig for the same server with the given user stanza. */
  private static Kubectl kubectlAs(String name, String userYaml) throws Exception {
    return Kubectl.forUser(dir.resolve(name + ".yaml"), "https://127.0.0.1:" + server.port(),
        dir.resolve("data/tls/ca.crt"), userYaml);
  }

  @Test
  void version() {
    assertThat(kubectl.run("version").assertOk().stdout()).contains("Server Version: v1.32.0+skiff");
  }

  @Test
  void apiResources() {
    String out = kubectl.run("api-resources").assertOk().stdout();
    assertThat(out).containsPattern("configmaps\\s+cm\\s+v1\\s+true\\s+ConfigMap")
        .containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace")
        .containsPattern("secrets\\s+v1\\s+true\\s+Secret");
  }

  @Test
  void authWhoamiShowsTheUserOfTheCertificateAndOfTheToken() throws Exception {
    String admin = kubectl.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}")
        .assertOk().stdout();
    assertThat(admin).startsWith("system:admin ").contains("system:masters", "system:authenticated");
    String alice = kubectlAs("alice-whoami", "{token: s3cret-token}").run("auth", "whoami").assertOk().stdout();
    assertThat(alice).containsPattern("Username\\s+alice").containsPattern("UID\\s+uid-alice").contains("devs", "ops");
  }

  @Test
  void authCanIAsksTheServersAuthorizer() throws Exception {
    assertThat(kubectl.run("auth", "can-i", "create", "pods", "-n", "default").assertOk().stdout().strip())
        .isEqualTo("yes");
    assertThat(kubectl.run("auth", "can-i", "get", "/healthz").assertOk().stdout().strip()).isEqualTo("yes");
    assertThat(kubectl.run("auth", "can-i", "--list").assertOk().stdout()).contains("*.*");
    assertThat(kubectl.run("api-resources", "--api-group", "authorization.k8s.io").assertOk().stdout())
        .contains("selfsubjectaccessreviews", "localsubjectaccessreviews");
  }

  @Test
  void aTokenReviewAuthenticatesTheTokenItCarries() throws Exception {
    Path good = dir.resolve("tokenreview-good.yaml");
    Files.writeString(good, """
        apiVersion: authentication.k8s.io/v1
        kind: TokenReview
        spec: {token: s3cret-token}
        """);
    String ok = kubectl.run("create", "-f", good.toString(), "-o",
        "jsonpath={.status.authenticated} {.status.user.username}").assertOk().stdout();
    assertThat(ok).isEqualTo("true alice");
    Path bad = dir.resolve("tokenreview-bad.yaml");
    Files.writeString(bad, """
        apiVersion: authentication.k8s.io/v1
        kind: TokenReview
        spec: {token: no-such-token}
        """);
    assertThat(kubectl.run("create", "-f", bad.toString(), "-o", "jsonpath={.status.authenticated}")
        .assertOk().stdout()).isEqualTo("false");
    // a review is an answer, not an object: nothing can be listed afterwards
    assertThat(kubectl.run("get", "tokenreviews").exitCode()).isNotZero();
  }

  @Test
  void explainDescribesBuiltInKindsFieldByField() {
    String containers = kubectl.run("explain", "pods.spec.containers").assertOk().stdout();
    assertThat(containers).contains("KIND:       Pod", "VERSION:    v1", "FIELD: containers <[]Container>")
        .containsPattern("image\\s+<string>").containsPattern("ports\\s+<\\[\\]ContainerPort>")
        .containsPattern("resources\\s+<ResourceRequirements>");
    String limits = kubectl.run("explain", "pod.spec.containers.resources.limits").assertOk().stdout();
    assertThat(limits).contains("FIELD: limits <map[string]");
    String strategy = kubectl.run("explain", "deployments.spec.strategy", "--api-version=apps/v1").assertOk().stdout();
    assertThat(strategy).contains("GROUP:      apps").containsPattern("rollingUpdate\\s+<RollingUpdateDeployment>");
    assertThat(kubectl.run("explain", "pods.spec.noSuchField").exitCode()).isNotZero();
  }

  @Test
  void aPodsPriorityComesFromItsPriorityClass() throws Exception {
    Path manifests = dir.resolve("priority.yaml");
    Files.writeString(manifests, """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: bench-high}
        value: 1000
        preemptionPolicy: Never
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: important, namespace: default}
        spec:
          priorityClassName: bench-high
          containers: [{name: c, image: busybox}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: critical, namespace: default}
        spec:
          priorityClassName: system-cluster-critical
          containers: [{name: c, image: busybox}]
        """);
    kubectl.run("apply", "-f", manifests.toString()).assertOk();
    assertThat(kubectl.run("get", "pod", "important", "-o", "jsonpath={.spec.priority} {.spec.preemptionPolicy}")
        .assertOk().stdout()).isEqualTo("1000 Never");
    assertThat(kubectl.run("get", "pod", "critical", "-o", "jsonpath={.spec.priority}").assertOk().stdout())
        .isEqualTo("2000000000");

    Path missing = dir.resolve("priority-missing.yaml");
    Files.writeString(missing, """
        apiVersion: v1
        kind: Pod
        metadata: {name: orphan-priority, namespace: default}
        spec:
          priorityClassName: nope
          containers: [{name: c, image: busybox}]
        """);
    Kubectl.Result refused = kubectl.run("apply", "-f", missing.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("no PriorityClass with name nope was found");
    Path stated = dir.resolve("priority-stated.yaml");
    Files.writeString(stated, """
        apiVersion: v1
        kind: Pod
        metadata: {name: self-important, namespace: default}
        spec:
          priority: 5
          containers: [{name: c, image: busybox}]
        """);
    assertThat(kubectl.run("apply", "-f", stated.toString()).stderr())
        .contains("the integer value of priority (5) must not be provided in pod spec");
    assertThat(kubectl.run("get", "pods", "orphan-priority", "self-important").exitCode()).isNotZero();
  }

  @Test
  void diffShowsOnlyWhatTheManifestChanges() throws Exception {
    Path manifest = dir.resolve("diff-cm.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: diffed, namespace: default}
        data: {color: blue}
        """);
    kubectl.run("apply", "-f", manifest.toString()).assertOk();
    Kubectl.Result same = kubectl.run("diff", "-f", manifest.toString());
    assertThat(same.exitCode()).as(same.stdout() + same.stderr()).isZero();
    Files.writeString(manifest, Files.readString(manifest).replace("blue", "green"));
    Kubectl.Result changed = kubectl.run("diff", "-f", manifest.toString());
    assertThat(changed.exitCode()).as(changed.stderr()).isEqualTo(1);
    assertThat(changed.stdout()).contains("-  color: blue", "+  color: green").doesNotContain("resourceVersion");
    assertThat(kubectl.run("get", "configmap", "diffed", "-o", "jsonpath={.data.color}").assertOk().stdout())
        .as("diff changes nothing").isEqualTo("blue");
  }

  @Test
  void systemNamespacesExist() {
    String out = kubectl.run("get", "namespaces", "-o", "name").assertOk().stdout();
    assertThat(out).contains("namespace/default", "namespace/kube-system", "namespace/kube-public",
        "namespace/kube-node-lease");
  }

  @Test
  void createGetAndDeleteConfigMaps() {
    kubectl.run("create", "namespace", "team-a").assertOk();
    assertThat(kubectl.run("get", "namespaces").assertOk().stdout()).containsPattern("team-a\\s+Active\\s+\\d+s");
    kubectl.run("-n", "team-a", "create", "configmap", "settings", "--from-literal=color=blue",
        "--from-literal=size=2").assertOk();

    String yaml = kubectl.run("-n", "team-a", "get", "configmap", "settings", "-o", "yaml").assertOk().stdout();
    assertThat(yaml).contains("color: blue", "name: settings", "namespace: team-a")
        .containsPattern("resourceVersion: \"\\d+\"").containsPattern("uid: [0-9a-f-]{36}")
        .doesNotContain("generation");
    String json = kubectl.run("-n", "team-a", "get", "configmap", "settings", "-o", "json").assertOk().stdout();
    assertThat(json).contains("\"size\": \"2\"", "\"kind\": \"ConfigMap\"");
    assertThat(kubectl.run("-n", "team-a", "get", "cm").assertOk().stdout())
        .containsPattern("NAME\\s+DATA\\s+AGE").containsPattern("settings\\s+2\\s+\\d+s");

    assertThat(kubectl.run("-n", "team-a", "delete", "configmap", "settings").assertOk().stdout())
        .contains("configmap \"settings\" deleted");
    Kubectl.Result gone = kubectl.run("-n", "team-a", "get", "configmap", "settings");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.stderr()).contains("configmaps \"settings\" not found");
  }

  @Test
  void labelSelectors() {
    kubectl.run("create", "namespace", "sel").assertOk();
    for (String[] cm : new String[][] {{"web", "tier=front"}, {"db", "tier=back"}, {"plain", ""}}) {
      kubectl.run("-n", "sel", "create", "configmap", cm[0], "--from-literal=k=v").assertOk();
      if (!cm[1].isEmpty()) {
        kubectl.run("-n", "sel", "label", "configmap", cm[0], cm[1]).assertOk();
      }
    }
    assertThat(names("-l", "tier=front")).isEqualTo("configmap/web");
    assertThat(names("-l", "tier!=front")).isEqualTo("configmap/db\nconfigmap/plain");
    assertThat(names("-l", "tier in (front,back)")).isEqualTo("configmap/db\nconfigmap/web");
    assertThat(names("-l", "tier notin (front)")).isEqualTo("configmap/db\nconfigmap/plain");
    assertThat(names("-l", "tier")).isEqualTo("configmap/db\nconfigmap/web");
    assertThat(names("-l", "!tier")).isEqualTo("configmap/plain");
    assertThat(names("--field-selector", "metadata.name=db")).isEqualTo("configmap/db");
    Kubectl.Result bad = kubectl.run("-n", "sel", "get", "cm", "-l", "tier in (front");
    assertThat(bad.exitCode()).isNotZero();
  }

  private static String names(String... selector) {
    String[] args = new String[selector.length + 6];
    System.arraycopy(new String[] {"-n", "sel", "get", "cm", "-o", "name"}, 0, args, 0, 6);
    System.arraycopy(selector, 0, args, 6, selector.length);
    return kubectl.run(args).assertOk().stdout().strip();
  }

  @Test
  void watchPrintsLaterChanges() throws Exception {
    kubectl.run("create", "namespace", "watched").assertOk();
    kubectl.run("-n", "watched", "create", "configmap", "before", "--from-literal=a=1").assertOk();
    Process watch = kubectl.start("-n", "watched", "get", "configmaps", "-w");
    try {
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread.ofVirtual().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l = r.readLine(); l != null; l = r.readLine()) {
            lines.add(l);
          }
        } catch (java.io.IOException e) {
          // the process was stopped
        }
      });
      assertThat(awaitLine(lines, "before")).containsPattern("before\\s+1\\s+\\d+s");
      kubectl.run("-n", "watched", "create", "configmap", "after", "--from-literal=a=1", "--from-literal=b=2")
          .assertOk();
      assertThat(awaitLine(lines, "after")).containsPattern("after\\s+2\\s+\\d+s");
    } finally {
      watch.destroy();
      watch.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static String awaitLine(LinkedBlockingQueue<String> lines, String needle) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null && l.startsWith(needle + " ")) {
        return l;
      }
    }
    throw new AssertionError("kubectl get -w never printed " + needle);
  }

  @Test
  void requestsWithoutCredentialsAreUnauthorized() throws Exception {
    // kubectl itself prompts for a user name when it has no credentials, so ask over plain HTTPS
    var anonymous = dev.skiff.apiserver.testing.ApiClient.of(dir.resolve("data/tls"), server.port(), false);
    var r = anonymous.get("/api/v1/namespaces");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
    assertThat(anonymous.get("/readyz").body()).isEqualTo("ok");
    Kubectl.Result wrongToken = kubectlAs("wrong", "{token: not-a-token}").run("get", "namespaces");
    assertThat(wrongToken.stderr()).contains("error: You must be logged in to the server");
  }

  @Test
  void tokenFromTheTokenFileAuthenticates() throws Exception {
    Kubectl alice = kubectlAs("alice", "{token: s3cret-token}");
    assertThat(alice.run("get", "namespaces", "-o", "name").assertOk().stdout()).contains("namespace/default");
  }

  @Test
  void invalidObjectsAreRejectedWithTheUpstreamMessage() {
    Kubectl.Result r = kubectl.run("create", "configmap", "Bad_Name", "--from-literal=a=b");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
        + "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters");
    Kubectl.Result missingNs = kubectl.run("-n", "nope", "create", "configmap", "x", "--from-literal=a=b");
    assertThat(missingNs.stderr()).contains("namespaces \"nope\" not found");
    kubectl.run("create", "configmap", "twice", "--from-literal=a=b").assertOk();
    assertThat(kubectl.run("create", "configmap", "twice", "--from-literal=a=b").stderr())
        .contains("configmaps \"twice\" already exists");
  }

  @Test
  void podsAndServices() {
    kubectl.run("create", "namespace", "apps").assertOk();
    kubectl.run("-n", "apps", "run", "web", "--image=nginx:1.25", "--port=80", "--labels=app=web").assertOk();
    assertThat(kubectl.run("-n", "apps", "get", "pods").assertOk().stdout())
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE")
        .containsPattern("web\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
    String pod = kubectl.run("-n", "apps", "get", "pod", "web", "-o", "yaml").assertOk().stdout();
    assertThat(pod).contains("image: nginx:1.25", "containerPort: 80", "imagePullPolicy: IfNotPresent",
        "restartPolicy: Always", "dnsPolicy: ClusterFirst", "phase: Pending", "qosClass: BestEffort");
    assertThat(kubectl.run("-n", "apps", "get", "pods", "--field-selector", "status.phase=Pending", "-o", "name")
        .assertOk().stdout()).contains("pod/web");

    kubectl.run("-n", "apps", "create", "service", "clusterip", "web", "--tcp=80:8080").assertOk();
    kubectl.run("-n", "apps", "create", "service", "nodeport", "edge", "--tcp=81:8081").assertOk();
    String svcs = kubectl.run("-n", "apps", "get", "services", "-o", "wide").assertOk().stdout();
    assertThat(svcs).containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE\\s+SELECTOR")
        .containsPattern("web\\s+ClusterIP\\s+10\\.43\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP\\s+\\d+s\\s+app=web")
        .containsPattern("edge\\s+NodePort\\s+10\\.43\\.\\d+\\.\\d+\\s+<none>\\s+81:3\\d{4}/TCP");
    assertThat(kubectl.run("get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}").assertOk().stdout())
        .isEqualTo("10.43.0.1");

    assertThat(kubectl.run("-n", "apps", "delete", "pod", "web").assertOk().stdout()).contains("pod \"web\" deleted");
    assertThat(kubectl.run("-n", "apps", "get", "pods").stderr()).contains("No resources found in apps namespace.");
  }

  @Test
  void applyCreatesLeavesUnchangedAndConfigures() throws Exception {
    kubectl.run("create", "namespace", "applied").assertOk();
    Path file = dir.resolve("app.yaml");
    String manifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: conf
          namespace: applied
        data:
          mode: %s
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: front
          namespace: applied
        spec:
          selector: {app: front}
          ports:
          - name: http
            port: 80
            targetPort: http
        """;
    Files.writeString(file, manifest.formatted("one"));
    assertThat(kubectl.run("apply", "-f", file.toString()).assertOk().stdout())
        .contains("configmap/conf created", "service/front created");
    assertThat(kubectl.run("apply", "-f", file.toString()).assertOk().stdout())
        .contains("configmap/conf unchanged", "service/front unchanged");
    Files.writeString(file, manifest.formatted("two"));
    assertThat(kubectl.run("apply", "-f", file.toString()).assertOk().stdout())
        .contains("configmap/conf configured", "service/front unchanged");
    assertThat(kubectl.run("-n", "applied", "get", "cm", "conf", "-o", "jsonpath={.data.mode}").assertOk().stdout())
        .isEqualTo("two");
    assertThat(kubectl.run("delete", "-f", file.toString()).assertOk().stdout())
        .contains("configmap \"conf\" deleted", "service \"front\" deleted");
  }

  /**
   * No namespace controller runs here: as upstream, a deleted namespace stays Terminating, refuses
   * new content, and goes once its "kubernetes" finalizer is removed through namespaces/finalize.
   */
  @Test
  void deletedNamespaceTerminatesUntilFinalized() throws Exception {
    kubectl.run("create", "namespace", "doomed").assertOk();
    kubectl.run("-n", "doomed", "create", "configmap", "inside", "--from-literal=a=b").assertOk();
    assertThat(kubectl.run("get", "namespace", "doomed", "-o", "jsonpath={.spec.finalizers}").assertOk().stdout())
        .isEqualTo("[\"kubernetes\"]");
    assertThat(kubectl.run("delete", "namespace", "doomed", "--wait=false").assertOk().stdout())
        .contains("namespace \"doomed\" deleted");
    assertThat(kubectl.run("get", "namespace", "doomed").assertOk().stdout()).containsPattern("doomed\\s+Terminating");
    Kubectl.Result refused = kubectl.run("-n", "doomed", "create", "configmap", "late", "--from-literal=a=b");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains(
        "configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated");
    // a second DELETE changes nothing; an ordinary update cannot drop the spec finalizer
    kubectl.run("delete", "namespace", "doomed", "--wait=false").assertOk();
    kubectl.run("label", "namespace", "doomed", "x=y").assertOk();
    assertThat(kubectl.run("get", "namespace", "doomed", "-o", "jsonpath={.status.phase}").assertOk().stdout())
        .isEqualTo("Terminating");
    Path finalize = dir.resolve("finalize.json");
    Files.writeString(finalize, """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"doomed"},"spec":{"finalizers":[]}}""");
    kubectl.run("replace", "--raw", "/api/v1/namespaces/doomed/finalize", "-f", finalize.toString()).assertOk();
    assertThat(kubectl.run("get", "namespace", "doomed").stderr()).contains("namespaces \"doomed\" not found");
    Kubectl.Result system = kubectl.run("delete", "namespace", "kube-system");
    assertThat(system.exitCode()).isNotZero();
    assertThat(system.stderr()).contains("namespaces \"kube-system\" is forbidden: this namespace may not be deleted");
  }

  @Test
  void serverSideApplyCreatesThenUpdates() throws Exception {
    kubectl.run("create", "namespace", "ssa").assertOk();
    Path file = dir.resolve("ssa.yaml");
    String manifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ssa-conf
          namespace: ssa
        data:
          mode: %s
        """;
    Files.writeString(file, manifest.formatted("one"));
    assertThat(kubectl.run("apply", "--server-side", "-f", file.toString()).assertOk().stdout())
        .contains("configmap/ssa-conf serverside-applied");
    Files.writeString(file, manifest.formatted("two"));
    kubectl.run("apply", "--server-side", "-f", file.toString()).assertOk();
    assertThat(kubectl.run("-n", "ssa", "get", "cm", "ssa-conf", "-o", "jsonpath={.data.mode}").assertOk().stdout())
        .isEqualTo("two");
  }

  @Test
  void unknownFieldsAreRefusedOrWarnedAbout() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: typo
          labelz: {a: b}
        dta:
          k: v
        """);
    Kubectl.Result strict = kubectl.run("create", "-f", file.toString());
    assertThat(strict.exitCode()).isNotZero();
    assertThat(strict.stderr()).contains("strict decoding error: unknown field \"dta\", unknown field \"metadata.labelz\"");
    Kubectl.Result warn = kubectl.run("create", "--validate=warn", "-f", file.toString()).assertOk();
    assertThat(warn.stderr()).contains("Warning: unknown field \"dta\"");
    // dropped, as upstream's typed decode drops it: what is stored is what the type knows
    assertThat(kubectl.run("get", "cm", "typo", "-o", "json").assertOk().stdout()).doesNotContain("dta", "labelz");
  }

  @Test
  void nestedUnknownFieldsOfAManifestAreRefusedByApplyAndNeverStored() throws Exception {
    kubectl.run("create", "namespace", "typos").assertOk();
    Path file = dir.resolve("nested-typo.yaml");
    Files.writeString(file, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: typo, namespace: typos}
        spec:
          selector: {matchLabels: {app: typo}}
          template:
            metadata: {labels: {app: typo}}
            spec:
              containers:
              - name: c
                image: nginx
                imagePullPolicyy: Always
        """);
    Kubectl.Result apply = kubectl.run("apply", "-f", file.toString());
    assertThat(apply.exitCode()).isNotZero();
    assertThat(apply.stderr()).contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding"
        + " error: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"");
    assertThat(kubectl.run("-n", "typos", "get", "deployments", "-o", "name").assertOk().stdout()).isBlank();

    Kubectl.Result serverSide = kubectl.run("apply", "--server-side", "-f", file.toString());
    assertThat(serverSide.exitCode()).isNotZero();
    assertThat(serverSide.stderr()).contains("unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"");

    kubectl.run("apply", "--validate=false", "-f", file.toString()).assertOk();
    // (kubectl's last-applied annotation keeps the manifest as written, as with upstream)
    assertThat(kubectl.run("-n", "typos", "get", "deployment", "typo", "-o",
        "jsonpath={.spec.template.spec.containers[0]}").assertOk().stdout())
        .contains("\"image\":\"nginx\"").doesNotContain("imagePullPolicyy");

    // a patch that adds an unknown field: warned about (the server's default) and dropped
    Kubectl.Result patch = kubectl.run("-n", "typos", "patch", "deployment", "typo", "--type=merge",
        "-p", "{\"spec\":{\"replicass\":3,\"replicas\":2}}");
    patch.assertOk();
    assertThat(patch.stderr()).contains("Warning: unknown field \"spec.replicass\"");
    assertThat(kubectl.run("-n", "typos", "get", "deployment", "typo", "-o", "json").assertOk().stdout())
        .contains("\"replicas\": 2").doesNotContain("replicass");
  }

  @Test
  void deploymentsCreateAndScale() {
    kubectl.run("create", "namespace", "workloads").assertOk();
    kubectl.run("-n", "workloads", "create", "deployment", "web", "--image=nginx:1.25", "--replicas=2").assertOk();
    assertThat(kubectl.run("-n", "workloads", "get", "deployments", "-o", "wide").assertOk().stdout())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR")
        .containsPattern("web\\s+0/2\\s+0\\s+0\\s+\\d+s\\s+nginx\\s+nginx:1.25\\s+app=web");
    String yaml = kubectl.run("-n", "workloads", "get", "deployment", "web", "-o", "yaml").assertOk().stdout();
    assertThat(yaml).contains("generation: 1", "maxSurge: 25%", "revisionHistoryLimit: 10", "progressDeadlineSeconds: 600",
        "imagePullPolicy: IfNotPresent", "restartPolicy: Always");
    assertThat(kubectl.run("-n", "workloads", "scale", "deployment", "web", "--replicas=5").assertOk().stdout())
        .contains("deployment.apps/web scaled");
    assertThat(kubectl.run("-n", "workloads", "get", "deployment", "web", "-o", "jsonpath={.spec.replicas} {.metadata.generation}")
        .assertOk().stdout()).isEqualTo("5 2");
    assertThat(kubectl.run("-n", "workloads", "get", "all").assertOk().stdout()).contains("deployment.apps/web");
    Kubectl.Result bad = kubectl.run("-n", "workloads", "create", "deployment", "bad", "--image=x", "--replicas=-1");
    assertThat(bad.stderr()).contains("Deployment.apps \"bad\" is invalid: spec.replicas: Invalid value: -1: "
        + "must be greater than or equal to 0");
  }

  @Test
  void nodesShowReadinessAndRoles() throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, """
        apiVersion: v1
        kind: Node
        metadata:
          name: worker-1
          labels:
            node-role.kubernetes.io/worker: ""
        spec:
          taints:
          - key: dedicated
            value: gpu
            effect: NoSchedule
        """);
    kubectl.run("create", "-f", file.toString()).assertOk();
    assertThat(kubectl.run("get", "nodes").assertOk().stdout())
        .containsPattern("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION")
        .containsPattern("worker-1\\s+Unknown\\s+worker\\s+\\d+s");
    kubectl.run("cordon", "worker-1").assertOk();
    assertThat(kubectl.run("get", "node", "worker-1").assertOk().stdout())
        .containsPattern("worker-1\\s+Unknown,SchedulingDisabled");
    assertThat(kubectl.run("get", "nodes", "--field-selector", "spec.unschedulable=true", "-o", "name").assertOk().stdout())
        .contains("node/worker-1");
    kubectl.run("delete", "node", "worker-1").assertOk();
  }

  @Test
  void storedResourcesApplyAndPrint() throws Exception {
    kubectl.run("create", "namespace", "stored").assertOk();
    Path file = dir.resolve("stored.yaml");
    Files.writeString(file, """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: robot, namespace: stored}
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: web, namespace: stored}
        subsets:
        - addresses: [{ip: 10.42.0.5}, {ip: 10.42.0.6}]
          ports: [{port: 8080}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abc, namespace: stored, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        endpoints:
        - addresses: [10.42.0.5]
        ports:
        - port: 8080
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: robot-reads, namespace: stored}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - {kind: ServiceAccount, name: robot, namespace: stored}
        """);
    assertThat(kubectl.run("apply", "-f", file.toString()).assertOk().stdout()).contains("serviceaccount/robot created",
        "endpoints/web created", "endpointslice.discovery.k8s.io/web-abc created",
        "rolebinding.rbac.authorization.k8s.io/robot-reads created");
    assertThat(kubectl.run("-n", "stored", "get", "endpoints").assertOk().stdout())
        .containsPattern("web\\s+10.42.0.5:8080,10.42.0.6:8080\\s+\\d+s");
    assertThat(kubectl.run("-n", "stored", "get", "endpointslices").assertOk().stdout())
        .containsPattern("web-abc\\s+IPv4\\s+8080\\s+10.42.0.5\\s+\\d+s");
    assertThat(kubectl.run("-n", "stored", "get", "rolebindings").assertOk().stdout())
        .containsPattern("robot-reads\\s+ClusterRole/view\\s+\\d+s");
  }

  @Test
  void applyRemovesWhatTheManifestNoLongerHas() throws Exception {
    kubectl.run("create", "namespace", "reapply").assertOk();
    Path file = dir.resolve("deploy.yaml");
    String manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app, namespace: reapply}
        spec:
          selector: {matchLabels: {app: app}}
          template:
            metadata: {labels: {app: app}}
            spec:
              containers:
              - name: app
                image: busybox:1.36
                ports:
        %s
        """;
    Files.writeString(file, manifest.formatted("        - containerPort: 80\n        - containerPort: 81"));
    kubectl.run("apply", "-f", file.toString()).assertOk();
    Files.writeString(file, manifest.formatted("        - containerPort: 80"));
    assertThat(kubectl.run("apply", "-f", file.toString()).assertOk().stdout()).contains("deployment.apps/app configured");
    assertThat(kubectl.run("-n", "reapply", "get", "deployment", "app", "-o",
        "jsonpath={.spec.template.spec.containers[0].ports[*].containerPort}").assertOk().stdout()).isEqualTo("80");
  }
}
