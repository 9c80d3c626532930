package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side apply with field ownership through the real kubectl v1.32 and fabric8, against an
 * in-process ApiServer on SQLite: conflicts and forcing, removal of dropped fields, managedFields,
 * the client-side to server-side upgrade, scale, and a custom resource with a keyed list.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServerSideApplyKubectlTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static Kubectl kubectl;

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

  private static Path write(String name, String yaml) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String deployment(String name, String replicasLine, String labels) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          labels: {%s}
        spec:
          %s
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: web
                image: nginx:1
        """.formatted(name, labels, replicasLine, name, name);
  }

  private static String jsonpath(String resource, String path) {
    return kubectl.run("get", resource, "-o", "jsonpath={" + path + "}").assertOk().stdout();
  }

  @Test
  void conflictsForceAndFieldRemoval() throws Exception {
    Path a = write("dep-a", deployment("owned", "replicas: 2", "app: owned, tier: front"));
    assertThat(kubectl.run("apply", "--server-side", "--field-manager=a", "-f", a.toString()).assertOk().stdout())
        .contains("deployment.apps/owned serverside-applied");
    Path b = write("dep-b", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: owned}
        spec: {replicas: 5}
        """);
    Kubectl.Result refused = kubectl.run("apply", "--server-side", "--field-manager=b", "-f", b.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas");
    assertThat(jsonpath("deploy/owned", ".spec.replicas")).isEqualTo("2");

    kubectl.run("apply", "--server-side", "--field-manager=b", "--force-conflicts", "-f", b.toString()).assertOk();
    assertThat(jsonpath("deploy/owned", ".spec.replicas")).isEqualTo("5");
    String yaml = kubectl.run("get", "deploy/owned", "-o", "yaml", "--show-managed-fields").assertOk().stdout();
    assertThat(yaml).contains("manager: a", "manager: b", "operation: Apply", "f:replicas: {}",
        "k:{\"name\":\"web\"}:");
    // replicas moved to b: a re-applying its old config now conflicts with b
    Kubectl.Result back = kubectl.run("apply", "--server-side", "--field-manager=a", "-f", a.toString());
    assertThat(back.stderr()).contains("conflict with \"b\": .spec.replicas");

    // a stops applying the tier label and replicas: the label goes, b's replicas stay
    Path less = write("dep-a2", deployment("owned", "", "app: owned"));
    kubectl.run("apply", "--server-side", "--field-manager=a", "-f", less.toString()).assertOk();
    assertThat(jsonpath("deploy/owned", ".metadata.labels")).doesNotContain("tier").contains("owned");
    assertThat(jsonpath("deploy/owned", ".spec.replicas")).isEqualTo("5");
  }

  @Test
  void scaleThenApplyWithoutReplicasKeepsTheScaledValue() throws Exception {
    Path a = write("scaled", deployment("scaled", "replicas: 1", "app: scaled"));
    kubectl.run("apply", "--server-side", "-f", a.toString()).assertOk();
    kubectl.run("scale", "deploy/scaled", "--replicas=3").assertOk();
    String fields = kubectl.run("get", "deploy/scaled", "-o", "yaml", "--show-managed-fields").assertOk().stdout();
    assertThat(fields).contains("subresource: scale");
    Path without = write("scaled2", deployment("scaled", "", "app: scaled"));
    kubectl.run("apply", "--server-side", "-f", without.toString()).assertOk();
    assertThat(jsonpath("deploy/scaled", ".spec.replicas")).isEqualTo("3");
  }

  @Test
  void applyToStatusOwnsOnlyStatus() throws Exception {
    kubectl.run("apply", "--server-side", "--field-manager=owner", "-f",
        write("st", deployment("statused", "replicas: 1", "app: statused")).toString()).assertOk();
    Path status = write("st-status", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: statused}
        spec: {replicas: 9}
        status: {observedGeneration: 1, replicas: 1}
        """);
    kubectl.run("apply", "--server-side", "--subresource=status", "--field-manager=ctl", "-f", status.toString())
        .assertOk();
    assertThat(jsonpath("deploy/statused", ".status.replicas")).isEqualTo("1");
    assertThat(jsonpath("deploy/statused", ".spec.replicas")).isEqualTo("1");
    String yaml = kubectl.run("get", "deploy/statused", "-o", "yaml", "--show-managed-fields").assertOk().stdout();
    assertThat(yaml).contains("manager: ctl", "subresource: status", "f:observedGeneration: {}");
  }

  @Test
  void clientSideApplyUpgradesToServerSide() throws Exception {
    Path cm = write("csa", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: upgraded}
        data: {a: "1", b: "2"}
        """);
    kubectl.run("apply", "-f", cm.toString()).assertOk();
    assertThat(kubectl.run("get", "cm/upgraded", "-o", "yaml", "--show-managed-fields").assertOk().stdout())
        .contains("manager: kubectl-client-side-apply", "operation: Update");
    Path less = write("ssa", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: upgraded}
        data: {a: "1"}
        """);
    kubectl.run("apply", "--server-side", "-f", less.toString()).assertOk();
    assertThat(jsonpath("cm/upgraded", ".data")).contains("\"a\":\"1\"").doesNotContain("\"b\"");
    String yaml = kubectl.run("get", "cm/upgraded", "-o", "yaml", "--show-managed-fields").assertOk().stdout();
    assertThat(yaml).contains("manager: kubectl", "operation: Apply");
  }

  @Test
  void customResourceWithKeyedList() throws Exception {
    kubectl.run("apply", "-f", write("crd", """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: routers.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: routers, singular: router, kind: Router}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      routes:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          required: [name]
                          properties:
                            name: {type: string}
                            target: {type: string}
        """).toString()).assertOk();
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> kubectl.run("get", "routers").exitCode() == 0);
    String router = """
        apiVersion: example.com/v1
        kind: Router
        metadata: {name: r}
        spec:
          routes:
          - {name: %s, target: %s}
        """;
    kubectl.run("apply", "--server-side", "--field-manager=one", "-f",
        write("r1", router.formatted("alpha", "svc-a")).toString()).assertOk();
    kubectl.run("apply", "--server-side", "--field-manager=two", "-f",
        write("r2", router.formatted("beta", "svc-b")).toString()).assertOk();
    assertThat(jsonpath("router/r", ".spec.routes[*].name")).isEqualTo("alpha beta");
    Kubectl.Result clash = kubectl.run("apply", "--server-side", "--field-manager=two", "-f",
        write("r3", router.formatted("alpha", "other")).toString());
    assertThat(clash.stderr()).contains("Apply failed with 1 conflict: conflict with \"one\": "
        + ".spec.routes[name=\"alpha\"].target");
    // one drops its route: only two's remains
    kubectl.run("apply", "--server-side", "--field-manager=one", "-f", write("r4", """
        apiVersion: example.com/v1
        kind: Router
        metadata: {name: r}
        spec: {routes: []}
        """).toString()).assertOk();
    assertThat(jsonpath("router/r", ".spec.routes[*].name")).isEqualTo("beta");
  }

  @Test
  void fabric8ServerSideApplyWithForce() throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("f8")
          .endMetadata().addToData("k", "one").build()).fieldManager("first").serverSideApply();
      ConfigMap second = new ConfigMapBuilder().withNewMetadata().withName("f8").withNamespace("default").endMetadata()
          .addToData("k", "two").build();
      assertThatThrownBy(() -> client.resource(second).fieldManager("second").serverSideApply())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(c -> {
              assertThat(c.getReason()).isEqualTo("FieldManagerConflict");
              assertThat(c.getField()).isEqualTo(".data.k");
              assertThat(c.getMessage()).isEqualTo("conflict with \"first\"");
            });
          });
      ConfigMap applied = client.resource(second).fieldManager("second").forceConflicts().serverSideApply();
      assertThat(applied.getData()).containsEntry("k", "two");
      assertThat(applied.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
          .containsExactly("second");

    }
  }
}
