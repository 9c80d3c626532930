package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HorizontalPodAutoscalers served at autoscaling/v1 and v2 over one stored object: the real
 * kubectl ({@code autoscale} posts v1) and fabric8's v1 and v2 clients, on a real SQLite store.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HorizontalPodAutoscalerVersionsTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static Kubectl kubectl;
  static KubernetesClient client;
  /**
   * kubectl 1.32 drops the version of a short name ({@code hpa.v1.autoscaling} reads the preferred
   * v2, against upstream too), so versioned reads spell the resource out.
   */
  static final String V1 = "horizontalpodautoscalers.v1.autoscaling";
  static final String V2 = "horizontalpodautoscalers.v2.autoscaling";

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
    server.start();
    kubectl = new Kubectl(server.kubeconfig());
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    kubectl.run("create", "deployment", "web", "--image=nginx").assertOk();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void kubectlAutoscaleCreatesThroughV1AndGetPrintsColumns() {
    assertThat(kubectl.run("autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=70").assertOk().stdout())
        .contains("horizontalpodautoscaler.autoscaling/web autoscaled");
    assertThat(kubectl.run("get", "hpa", "web").assertOk().stdout())
        .containsPattern("NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE")
        .containsPattern("web\\s+Deployment/web\\s+cpu: <unknown>/70%\\s+2\\s+5\\s+0");
    // the same object at v2: the CPU percentage is a Resource metric
    assertThat(kubectl.run("get", V2, "web", "-o",
        "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}").assertOk().stdout())
        .isEqualTo("autoscaling/v2 70");
    assertThat(kubectl.run("get", V1, "web", "-o",
        "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage}").assertOk().stdout())
        .isEqualTo("autoscaling/v1 70");
    // the status subresource at v1: its CPU percentage becomes v2's current metric
    kubectl.run("patch", V1, "web", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"currentReplicas\":2,\"desiredReplicas\":3,\"currentCPUUtilizationPercentage\":40}}").assertOk();
    assertThat(kubectl.run("get", V2, "web", "-o", "jsonpath={.status.currentReplicas} {.status.desiredReplicas} "
        + "{.status.currentMetrics[0].resource.current.averageUtilization}").assertOk().stdout()).isEqualTo("2 3 40");
    assertThat(kubectl.run("get", "hpa", "web").assertOk().stdout()).containsPattern("web\\s+Deployment/web\\s+cpu: 40%/70%\\s+2\\s+5\\s+2");
  }

  @Test
  void v2OnlyFieldsSurviveAnUpdateThroughV1() throws Exception {
    Path file = dir.resolve("queue.yaml");
    Files.writeString(file, """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: queue}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 9
          metrics:
          - type: Pods
            pods:
              metric: {name: jobs_waiting}
              target: {type: AverageValue, averageValue: "5"}
          behavior:
            scaleDown:
              stabilizationWindowSeconds: 120
              policies: [{type: Percent, value: 50, periodSeconds: 60}]
        """);
    kubectl.run("apply", "-f", file.toString()).assertOk();
    String v1 = kubectl.run("get", V1, "queue", "-o", "yaml").assertOk().stdout();
    assertThat(v1).contains("apiVersion: autoscaling/v1", "autoscaling.alpha.kubernetes.io/metrics:",
        "jobs_waiting", "autoscaling.alpha.kubernetes.io/behavior:", "StabilizationWindowSeconds\":120")
        .doesNotContain("targetCPUUtilizationPercentage");
    // a v1 client rewrites the object it read (annotations included): v2 still has every field
    Path v1File = dir.resolve("queue-v1.yaml");
    Files.writeString(v1File, v1.replace("maxReplicas: 9", "maxReplicas: 7"));
    kubectl.run("replace", "-f", v1File.toString()).assertOk();
    assertThat(kubectl.run("get", V2, "queue", "-o",
        "jsonpath={.spec.maxReplicas} {.spec.metrics[0].pods.metric.name} {.spec.metrics[0].pods.target.averageValue} "
            + "{.spec.behavior.scaleDown.stabilizationWindowSeconds}").assertOk().stdout())
        .isEqualTo("7 jobs_waiting 5 120");
    // the round-trip annotations are consumed at v2 (kubectl's last-applied copy aside)
    assertThat(kubectl.run("get", V2, "queue", "-o", "jsonpath={.metadata.annotations}").assertOk().stdout())
        .doesNotContainPattern("[{,]\"autoscaling\\.alpha");
    assertThat(kubectl.run("get", "hpa", "queue").assertOk().stdout()).containsPattern("queue\\s+Deployment/web\\s+<unknown>/5\\s+1\\s+7");
  }

  @Test
  void fabric8V1AndV2ClientsReadTheSameObject() throws Exception {
    var v2 = new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
        .withNewMetadata().withName("both").withNamespace("default").endMetadata()
        .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef()
        .withMaxReplicas(4).endSpec().build();
    client.autoscaling().v2().horizontalPodAutoscalers().resource(v2).create();
    HorizontalPodAutoscaler read = client.autoscaling().v1().horizontalPodAutoscalers().inNamespace("default").withName("both").get();
    assertThat(read.getApiVersion()).isEqualTo("autoscaling/v1");
    // v2's default of 80% CPU, seen as v1's target
    assertThat(read.getSpec().getTargetCPUUtilizationPercentage()).isEqualTo(80);
    assertThat(read.getSpec().getMinReplicas()).isEqualTo(1);

    BlockingQueue<HorizontalPodAutoscaler> seen = new LinkedBlockingQueue<>();
    try (Watch w = client.autoscaling().v1().horizontalPodAutoscalers().inNamespace("default").withName("both")
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, HorizontalPodAutoscaler hpa) {
            seen.add(hpa);
          }

          @Override
          public void onClose(WatcherException cause) {}
        })) {
      // a status written at v2 (as the controller does) reaches v1 watchers and readers converted
      var status = new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder()
          .withCurrentReplicas(2).withDesiredReplicas(3)
          .addNewCurrentMetric().withType("Resource").withNewResource().withName("cpu").withNewCurrent()
          .withAverageUtilization(91).endCurrent().endResource().endCurrentMetric()
          .addNewCondition().withType("AbleToScale").withStatus("True").withReason("ReadyForNewScale")
          .withLastTransitionTime("2026-11-27T05:00:00Z").endCondition().build();
      var current = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("default").withName("both").get();
      current.setStatus(status);
      client.autoscaling().v2().horizontalPodAutoscalers().resource(current).updateStatus();
      HorizontalPodAutoscaler event = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        HorizontalPodAutoscaler e = seen.poll(1, TimeUnit.SECONDS);
        if (e != null && e.getStatus() != null && Integer.valueOf(91).equals(e.getStatus().getCurrentCPUUtilizationPercentage())) {
          event = e;
          break;
        }
      }
      assertThat(event).as("a v1 watch event with the converted status").isNotNull();
      assertThat(event.getApiVersion()).isEqualTo("autoscaling/v1");
      assertThat(event.getMetadata().getAnnotations()).containsKey("autoscaling.alpha.kubernetes.io/conditions");
    }
    var v2Read = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("default").withName("both").get();
    assertThat(v2Read.getStatus().getDesiredReplicas()).isEqualTo(3);
    assertThat(v2Read.getStatus().getConditions()).hasSize(1);
    assertThat(v2Read.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(client.autoscaling().v1().horizontalPodAutoscalers().inNamespace("default").list().getItems())
        .extracting(h -> h.getMetadata().getName()).contains("both");
  }

  @Test
  void discoveryServesBothVersionsPreferringV2() {
    String group = kubectl.run("get", "--raw", "/apis/autoscaling").assertOk().stdout();
    assertThat(group).contains("\"groupVersion\":\"autoscaling/v1\"", "\"groupVersion\":\"autoscaling/v2\"")
        .contains("\"preferredVersion\":{\"groupVersion\":\"autoscaling/v2\"");
    assertThat(kubectl.run("get", "--raw", "/apis/autoscaling/v1").assertOk().stdout())
        .contains("\"name\":\"horizontalpodautoscalers\"", "\"name\":\"horizontalpodautoscalers/status\"");
    assertThat(kubectl.run("get", "--raw", "/openapi/v3/apis/autoscaling/v1").assertOk().stdout())
        .contains("io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler", "targetCPUUtilizationPercentage");
    assertThat(kubectl.run("explain", "hpa.spec.targetCPUUtilizationPercentage", "--api-version=autoscaling/v1").assertOk().stdout())
        .contains("targetCPUUtilizationPercentage");
  }
}
