package dev.skiff.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.MutableClock;
import dev.skiff.controllers.testing.StandaloneController;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HPA controller with the real kubectl: without a metrics API it scales a Deployment into
 * [min, max] and reports upstream's conditions; with a metrics source plugged in it follows
 * utilization and holds scale-downs for the stabilization window.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HorizontalPodAutoscalerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static MutableClock clock = new MutableClock();
  /** Total cpu use of the metered deployment, in percent of one pod's request. */
  static final AtomicReference<Double> load = new AtomicReference<>(200.0);
  static StandaloneController<HorizontalPodAutoscalerController> autoscaler;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of());
    cluster.createNamespace("hpa");
    cluster.createNamespace("metered");
    // one controller: namespace "metered" has a metrics source whose load is shared by the
    // replicas; everywhere else there is no metrics API, as in Skiff today
    autoscaler = new StandaloneController<>(cluster.client, clock, ctx -> new HorizontalPodAutoscalerController(ctx,
        (namespace, selector, resource) -> {
          if (!namespace.equals("metered")) {
            return MetricsSource.NONE.utilization(namespace, selector, resource);
          }
          int pods = replicas("metered", "api");
          return new MetricsSource.Utilization(load.get() / pods, pods);
        }));
  }

  @AfterAll
  static void stop() {
    if (autoscaler != null) {
      autoscaler.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HorizontalPodAutoscaler hpa(String namespace, String name) {
    return cluster.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(name).get();
  }

  private static HorizontalPodAutoscalerCondition condition(HorizontalPodAutoscaler hpa, String type) {
    if (hpa.getStatus() == null || hpa.getStatus().getConditions() == null) {
      return null;
    }
    return hpa.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static int replicas(String namespace, String name) {
    return cluster.client.apps().deployments().inNamespace(namespace).withName(name).get().getSpec().getReplicas();
  }

  @Test
  void scalesIntoRangeAndReportsThatMetricsAreUnavailable() throws Exception {
    cluster.kubectl.run("-n", "hpa", "create", "deployment", "web", "--image=busybox", "--replicas=1").assertOk();
    autoscale("hpa", "web", 2, 4, 50);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(replicas("hpa", "web")).isEqualTo(2));
    // the next sync finds the target in range and asks for metrics, which Skiff does not serve
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      HorizontalPodAutoscaler h = hpa("hpa", "web");
      assertThat(condition(h, "AbleToScale")).extracting(c -> c.getStatus()).isEqualTo("True");
      HorizontalPodAutoscalerCondition active = condition(h, "ScalingActive");
      assertThat(active).isNotNull();
      assertThat(active.getStatus()).isEqualTo("False");
      assertThat(active.getReason()).isEqualTo("FailedGetResourceMetric");
      assertThat(active.getMessage()).contains("unable to get metrics for resource cpu");
      assertThat(h.getStatus().getCurrentReplicas()).isEqualTo(2);
      assertThat(h.getStatus().getDesiredReplicas()).isEqualTo(2);
    });
    String table = cluster.kubectl.run("-n", "hpa", "get", "hpa", "web").assertOk().stdout();
    assertThat(table).containsPattern("REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS")
        .containsPattern("web\\s+Deployment/web\\s+cpu: <unknown>/50%\\s+2\\s+4\\s+2");
    var reasons = cluster.client.v1().events().inNamespace("hpa").list().getItems().stream()
        .filter(e -> "web".equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
    assertThat(reasons).contains("SuccessfulRescale", "FailedGetResourceMetric", "FailedComputeMetricsReplicas");
    cluster.kubectl.run("-n", "hpa", "scale", "deployment", "web", "--replicas=7").assertOk();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(replicas("hpa", "web")).isEqualTo(4));
  }

  @Test
  void followsUtilizationAndStabilizesScaleDown() throws Exception {
    cluster.kubectl.run("-n", "metered", "create", "deployment", "api", "--image=busybox", "--replicas=2").assertOk();
    autoscale("metered", "api", 1, 10, 50);
    // 200% over 2 pods is 100% each: against a 50% target that doubles the replicas, then holds
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(replicas("metered", "api")).isEqualTo(4));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        condition(hpa("metered", "api"), "ScalingActive")).extracting(c -> c.getReason()).isEqualTo("ValidMetricFound"));
    load.set(100.0);
    touch();
    // 25% each: the recommendation is 2, but inside the window the earlier 4 holds
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(replicas("metered", "api")).isEqualTo(4));
    clock.advance(ScaleDownStabilization.WINDOW.plusSeconds(1));
    touch();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(replicas("metered", "api")).isEqualTo(2));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        cluster.kubectl.run("-n", "metered", "get", "hpa", "api").assertOk().stdout()).contains("cpu: 50%/50%"));
  }

  /**
   * What {@code kubectl autoscale deployment NAME --min --max --cpu-percent} creates, at autoscaling/v2
   * (kubectl 1.32's autoscale posts autoscaling/v1, which Skiff does not serve yet).
   */
  private static void autoscale(String namespace, String name, int min, int max, int cpuPercent) throws Exception {
    Path f = Files.createTempFile(dir, "hpa", ".yaml");
    Files.writeString(f, """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: %s}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}
          minReplicas: %d
          maxReplicas: %d
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: %d}}
        """.formatted(name, name, min, max, cpuPercent));
    cluster.kubectl.run("-n", namespace, "create", "-f", f.toString()).assertOk();
  }

  /** Makes the metered controller sync now: an HPA change queues it. */
  private static void touch() {
    cluster.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("metered").withName("api")
        .edit(h -> {
          h.getMetadata().setAnnotations(Map.of("touched", Long.toString(System.nanoTime())));
          return h;
        });
  }
}
