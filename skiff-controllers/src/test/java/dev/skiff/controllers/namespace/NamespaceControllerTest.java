package dev.skiff.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace controller against an in-process API server and the real kubectl: a deleted
 * namespace turns Terminating, its pods, config maps and custom resources go, objects held by a
 * finalizer or a bound pod's grace period keep it (with upstream's conditions) until they are
 * gone, and then the namespace goes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamespaceControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: gadgets.example.com}
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: gadgets, singular: gadget, kind: Gadget}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(NamespaceController.NAME));
    Path crd = dir.resolve("crd.yaml");
    Files.writeString(crd, CRD);
    cluster.kubectl.run("apply", "-f", crd.toString()).assertOk();
    cluster.kubectl.run(Duration.ofSeconds(40), "wait", "--for=condition=Established", "crd/gadgets.example.com",
        "--timeout=30s").assertOk();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void kubectlDeleteNamespaceRemovesPodsConfigMapsAndCustomResources() throws Exception {
    cluster.createNamespace("gone");
    cluster.kubectl.run("-n", "gone", "create", "configmap", "one", "--from-literal=a=b").assertOk();
    cluster.kubectl.run("-n", "gone", "run", "idle", "--image=busybox", "--restart=Never").assertOk();
    Path gadget = dir.resolve("gadget.yaml");
    Files.writeString(gadget, "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1, namespace: gone}\n");
    cluster.kubectl.run("apply", "-f", gadget.toString()).assertOk();

    // kubectl waits until the namespace is gone
    assertThat(cluster.kubectl.run(Duration.ofSeconds(60), "delete", "namespace", "gone", "--timeout=50s")
        .assertOk().stdout()).contains("namespace \"gone\" deleted");
    assertThat(cluster.client.namespaces().withName("gone").get()).isNull();
    // a namespace of the same name starts empty
    cluster.createNamespace("gone");
    assertThat(cluster.kubectl.run("-n", "gone", "get", "configmaps,pods,gadgets", "-o", "name").assertOk().stdout())
        .isBlank();
  }

  @Test
  void finalizersAndGracefulPodsHoldTheNamespaceWithUpstreamConditions() {
    cluster.createNamespace("held");
    cluster.client.configMaps().inNamespace("held").resource(new ConfigMapBuilder().withNewMetadata().withName("kept")
        .withFinalizers("example.com/hold").endMetadata().build()).create();
    // a bound pod: its deletion waits for the kubelet, which this test plays
    cluster.client.pods().inNamespace("held").resource(new PodBuilder().withNewMetadata().withName("bound").endMetadata()
        .withNewSpec().withNodeName("node-a").withTerminationGracePeriodSeconds(30L).addNewContainer().withName("c")
        .withImage("busybox").endContainer().endSpec().build()).create();

    cluster.kubectl.run("delete", "namespace", "held", "--wait=false").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Namespace ns = cluster.client.namespaces().withName("held").get();
      assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
      assertThat(condition(ns, NamespaceConditions.CONTENT_REMAINING).getStatus()).isEqualTo("True");
      assertThat(condition(ns, NamespaceConditions.CONTENT_REMAINING).getMessage())
          .isEqualTo("Some resources are remaining: configmaps has 1 resource instances, pods has 1 resource instances");
      assertThat(condition(ns, NamespaceConditions.FINALIZERS_REMAINING).getMessage())
          .isEqualTo("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
      assertThat(condition(ns, NamespaceConditions.DISCOVERY_FAILURE).getStatus()).isEqualTo("False");
      assertThat(condition(ns, NamespaceConditions.CONTENT_FAILURE).getStatus()).isEqualTo("False");
      assertThat(condition(ns, NamespaceConditions.PARSING_FAILURE).getReason()).isEqualTo("ParsedGroupVersions");
    });
    assertThat(cluster.client.pods().inNamespace("held").withName("bound").get().getMetadata().getDeletionTimestamp())
        .isNotNull();

    cluster.client.configMaps().inNamespace("held").withName("kept").edit(cm -> {
      cm.getMetadata().setFinalizers(List.of());
      return cm;
    });
    cluster.client.pods().inNamespace("held").withName("bound").withGracePeriod(0).delete();
    await().atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(cluster.client.namespaces().withName("held").get()).isNull());
  }

  private static NamespaceCondition condition(Namespace ns, String type) {
    List<NamespaceCondition> all = ns.getStatus().getConditions();
    assertThat(all).extracting(NamespaceCondition::getType).contains(type);
    return all.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
