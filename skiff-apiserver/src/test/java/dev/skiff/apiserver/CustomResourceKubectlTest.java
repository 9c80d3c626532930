package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CustomResourceDefinitions and their custom resources through the real kubectl, on a real SQLite store. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CustomResourceKubectlTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static Kubectl kubectl;

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [all]}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}, scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.ready, labelSelectorPath: .status.selector}}
          additionalPrinterColumns:
          - {name: Color, type: string, jsonPath: .spec.color}
          - {name: Replicas, type: integer, jsonPath: .spec.replicas}
          - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [color]
                  properties:
                    color: {type: string, enum: [red, blue]}
                    replicas: {type: integer, minimum: 1, maximum: 10, default: 1}
                    name: {type: string, pattern: '^[a-z]+$', maxLength: 8}
                    extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                status:
                  type: object
                  properties:
                    ready: {type: integer}
                    selector: {type: string}
                    phase: {type: string}
        - name: v1beta1
          served: true
          storage: false
          schema:
            openAPIV3Schema:
              type: object
              x-kubernetes-preserve-unknown-fields: true
      """;

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
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

  private static Path file(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private static void installCrd() throws Exception {
    kubectl.run("apply", "-f", file("crd.yaml", CRD).toString()).assertOk();
    kubectl.run(Duration.ofSeconds(40), "wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=30s").assertOk();
  }

  @Test
  void multiDocumentApplyWithCrdAndCustomResource() throws Exception {
    // Its own kind (Dial), so that the CRD is new whichever test runs first.
    String dialCrd = CRD.replace("widget", "dial").replace("Widget", "Dial").replace("[wd]", "[dl]");
    String manifest = MoreKindsKubectlTest.MANIFEST + "---\n" + dialCrd + """
        ---
        apiVersion: example.com/v1
        kind: Dial
        metadata: {name: w1}
        spec: {color: red, extra: {kept: here}}
        """;
    Path f = file("all.yaml", manifest);
    // As with upstream, the first apply may not map the custom resource before its CRD exists.
    Kubectl.Result first = kubectl.run("apply", "-f", f.toString());
    assertThat(first.stdout()).contains("statefulset.apps/web created",
        "customresourcedefinition.apiextensions.k8s.io/dials.example.com created");
    kubectl.run(Duration.ofSeconds(40), "wait", "--for=condition=Established", "crd/dials.example.com", "--timeout=30s").assertOk();
    assertThat(kubectl.run("apply", "-f", f.toString()).assertOk().stdout()).containsPattern("dial.example.com/w1 (created|unchanged)");

    assertThat(kubectl.run("get", "dials").assertOk().stdout())
        .containsPattern("NAME\\s+COLOR\\s+REPLICAS\\s+AGE").containsPattern("w1\\s+red\\s+1\\s+\\d+s");
    assertThat(kubectl.run("get", "dial", "w1", "-o", "jsonpath={.spec}").assertOk().stdout())
        .contains("\"replicas\":1").contains("\"kept\":\"here\"");
    assertThat(kubectl.run("get", "dl", "w1", "-o", "jsonpath={.metadata.generation}").assertOk().stdout()).isEqualTo("1");
    assertThat(kubectl.run("get", "crd", "dials.example.com", "-o",
        "jsonpath={.status.conditions[?(@.type==\"NamesAccepted\")].status} {.status.conditions[?(@.type==\"Established\")].status} {.status.storedVersions}")
        .assertOk().stdout()).isEqualTo("True True [\"v1\"]");
  }

  @Test
  void apiResourcesListsTheCustomResource() throws Exception {
    installCrd();
    assertThat(kubectl.run("api-resources").assertOk().stdout())
        .containsPattern("widgets\\s+wd\\s+example.com/v1\\s+true\\s+Widget")
        .containsPattern("customresourcedefinitions\\s+crd,crds\\s+apiextensions.k8s.io/v1\\s+false");
    assertThat(kubectl.run("api-versions").assertOk().stdout()).contains("example.com/v1", "example.com/v1beta1");
  }

  @Test
  void explainDescribesTheCustomResourceFromItsSchema() throws Exception {
    installCrd();
    String out = kubectl.run("explain", "widgets.spec").assertOk().stdout();
    assertThat(out).contains("KIND:       Widget", "GROUP:      example.com")
        .containsPattern("color\\s+<string> -required-").containsPattern("replicas\\s+<integer>");
  }

  @Test
  void schemaViolationsAreRejected() throws Exception {
    installCrd();
    Kubectl.Result r = kubectl.run("apply", "-f", file("bad-widget.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: bad}
        spec: {color: pink, replicas: 11, name: "Upper"}
        """).toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("The Widget \"bad\" is invalid:",
        "spec.color: Unsupported value: \"pink\": supported values: \"red\", \"blue\"",
        "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
        "spec.name: Invalid value: \"Upper\": spec.name in body should match '^[a-z]+$'");
    Kubectl.Result missing = kubectl.run("create", "-f", file("missing.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: nocolor}
        spec: {replicas: "two"}
        """).toString());
    assertThat(missing.stderr()).contains("spec.color: Required value",
        "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
  }

  @Test
  void unknownFieldsAreRefusedWhenStrictAndPrunedOtherwise() throws Exception {
    installCrd();
    Path f = file("unknown.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w4}
        spec: {color: red, unknownField: dropped, extra: {anything: goes}}
        """);
    Kubectl.Result strict = kubectl.run("apply", "-f", f.toString());
    assertThat(strict.exitCode()).isNotZero();
    assertThat(strict.stderr()).contains("strict decoding error: unknown field \"spec.unknownField\"");
    kubectl.run("apply", "--validate=false", "-f", f.toString()).assertOk();
    assertThat(kubectl.run("get", "widget", "w4", "-o", "jsonpath={.spec}").assertOk().stdout())
        .contains("\"anything\":\"goes\"").doesNotContain("unknownField");
  }

  @Test
  void conflictingKindIsNotAccepted() throws Exception {
    installCrd();
    kubectl.run("apply", "-f", file("clash.yaml", """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: otherwidgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: otherwidgets, kind: Widget}
          versions:
          - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
        """).toString()).assertOk();
    kubectl.run(Duration.ofSeconds(40), "wait", "--for=condition=NamesAccepted=False", "crd/otherwidgets.example.com", "--timeout=30s").assertOk();
    assertThat(kubectl.run("get", "crd", "otherwidgets.example.com", "-o",
        "jsonpath={.status.conditions[?(@.type==\"NamesAccepted\")].reason} {.status.conditions[?(@.type==\"Established\")].status}")
        .assertOk().stdout()).isEqualTo("KindConflict False");
    assertThat(kubectl.run("api-resources").assertOk().stdout()).doesNotContain("otherwidgets");
  }

  @Test
  void crdWithTwoStorageVersionsIsRejected() throws Exception {
    Kubectl.Result r = kubectl.run("apply", "-f", file("two-storage.yaml", """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          scope: Cluster
          names: {plural: gadgets, kind: Gadget}
          versions:
          - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
          - {name: v2, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
        """).toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("The CustomResourceDefinition \"gadgets.example.com\" is invalid:",
        "spec.versions: Invalid value:", "must have exactly one version marked as storage version");
  }

  @Test
  void statusSubresourceIgnoresSpecAndScaleWorks() throws Exception {
    installCrd();
    kubectl.run("apply", "-f", file("w2.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w2}
        spec: {color: blue, replicas: 2}
        status: {phase: ignored-on-create}
        """).toString()).assertOk();
    assertThat(kubectl.run("get", "widget", "w2", "-o", "jsonpath={.status.phase}").assertOk().stdout()).isEmpty();
    kubectl.run("patch", "widget", "w2", "--subresource=status", "--type=merge", "-p",
        "{\"spec\":{\"color\":\"red\"},\"status\":{\"phase\":\"Ready\",\"ready\":2,\"selector\":\"app=w2\"}}").assertOk();
    assertThat(kubectl.run("get", "widget", "w2", "-o", "jsonpath={.spec.color} {.status.phase} {.metadata.generation}")
        .assertOk().stdout()).isEqualTo("blue Ready 1");
    kubectl.run("patch", "widget", "w2", "--type=merge", "-p", "{\"spec\":{\"color\":\"red\"},\"status\":{\"phase\":\"Lost\"}}").assertOk();
    assertThat(kubectl.run("get", "widget", "w2", "-o", "jsonpath={.spec.color} {.status.phase} {.metadata.generation}")
        .assertOk().stdout()).isEqualTo("red Ready 2");
    assertThat(kubectl.run("get", "widget", "w2", "--subresource=scale", "-o", "jsonpath={.spec.replicas} {.status.replicas} {.status.selector}")
        .assertOk().stdout()).isEqualTo("2 2 app=w2");
    kubectl.run("scale", "widget", "w2", "--replicas=5").assertOk();
    assertThat(kubectl.run("get", "widget", "w2", "-o", "jsonpath={.spec.replicas}").assertOk().stdout()).isEqualTo("5");
  }

  @Test
  void watchSeesCustomResourceChanges() throws Exception {
    installCrd();
    kubectl.run("apply", "-f", file("w5.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w5}
        spec: {color: red}
        """).toString()).assertOk();
    Process watch = kubectl.start("get", "widgets", "--watch", "--output-watch-events");
    java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream()))) {
        for (String line; (line = out.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
    });
    try {
      assertThat(next(lines, "w5")).containsPattern("ADDED\\s+w5\\s+red");
      kubectl.run("patch", "widget", "w5", "--type=merge", "-p", "{\"spec\":{\"color\":\"blue\"}}").assertOk();
      assertThat(next(lines, "w5")).containsPattern("MODIFIED\\s+w5\\s+blue");
    } finally {
      watch.destroy();
      watch.waitFor(5, TimeUnit.SECONDS);
      reader.join(Duration.ofSeconds(5));
    }
  }

  /** The next line mentioning {@code name} within 20 seconds, or "". */
  private static String next(java.util.concurrent.BlockingQueue<String> lines, String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && line.contains(name)) {
        return line;
      }
    }
    return "";
  }

  @Test
  void otherServedVersionChangesOnlyApiVersion() throws Exception {
    installCrd();
    kubectl.run("apply", "-f", file("w3.yaml", """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w3}
        spec: {color: blue}
        """).toString()).assertOk();
    assertThat(kubectl.run("get", "widgets.v1beta1.example.com", "w3", "-o", "jsonpath={.apiVersion} {.spec.color}")
        .assertOk().stdout()).isEqualTo("example.com/v1beta1 blue");
  }

  @Test
  void clusterScopedCustomResourcesAndCrdDeletion() throws Exception {
    kubectl.run("apply", "-f", file("gizmo-crd.yaml", """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gizmos.tools.example.org}
        spec:
          group: tools.example.org
          scope: Cluster
          names: {plural: gizmos, kind: Gizmo}
          versions:
          - name: v1alpha1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, properties: {size: {type: integer}}}}
        """).toString()).assertOk();
    kubectl.run(Duration.ofSeconds(40), "wait", "--for=condition=Established", "crd/gizmos.tools.example.org", "--timeout=30s").assertOk();
    kubectl.run("apply", "-f", file("gizmo.yaml", """
        apiVersion: tools.example.org/v1alpha1
        kind: Gizmo
        metadata: {name: g1}
        size: 3
        """).toString()).assertOk();
    assertThat(kubectl.run("get", "gizmos").assertOk().stdout()).containsPattern("NAME\\s+AGE").containsPattern("g1\\s+");
    kubectl.run("delete", "crd", "gizmos.tools.example.org").assertOk();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (kubectl.run("api-resources").stdout().contains("gizmos") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(kubectl.run("api-resources").assertOk().stdout()).doesNotContain("gizmos");
    assertThat(store.range(dev.skiff.storage.RangeRequest.prefix(dev.skiff.storage.Bytes.of("/registry/tools.example.org/gizmos/"))).kvs()).isEmpty();
  }
}
