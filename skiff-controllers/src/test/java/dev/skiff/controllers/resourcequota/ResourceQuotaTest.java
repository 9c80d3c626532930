package dev.skiff.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.TestCluster;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResourceQuota end to end with the real kubectl: the controller fills status.used, the API
 * server's quota admission refuses creates past the quota with upstream's messages, frees quota on
 * delete, honours scopes and charges atomically under concurrent creates; LimitRange defaults and
 * maxima apply at pod create.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResourceQuotaTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(ResourceQuotaController.NAME));
    kubectl = cluster.kubectl;
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Map<String, String> used(String namespace, String name) {
    ResourceQuota q = cluster.client.resourceQuotas().inNamespace(namespace).withName(name).get();
    Map<String, String> m = new java.util.TreeMap<>();
    if (q.getStatus() != null && q.getStatus().getUsed() != null) {
      q.getStatus().getUsed().forEach((k, v) -> m.put(k, v.toString()));
    }
    return m;
  }

  private static void awaitUsed(String namespace, String name, Map<String, String> expected) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(used(namespace, name)).isEqualTo(expected));
  }

  private static Kubectl.Result apply(String namespace, String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "obj", ".yaml");
    Files.writeString(f, yaml);
    return kubectl.run("-n", namespace, "create", "-f", f.toString());
  }

  private static String pod(String name, String resources) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          containers:
          - name: c
            image: busybox
            resources: %s
        """.formatted(name, resources);
  }

  @Test
  void podsPastTheQuotaAreRefusedAndDeletingOneFreesQuota() {
    cluster.createNamespace("counts");
    kubectl.run("-n", "counts", "create", "quota", "counts", "--hard=pods=2,count/configmaps=3,services=1")
        .assertOk();
    awaitUsed("counts", "counts", Map.of("pods", "0", "count/configmaps", "0", "services", "0"));
    kubectl.run("-n", "counts", "run", "p1", "--image=busybox", "--restart=Never").assertOk();
    kubectl.run("-n", "counts", "run", "p2", "--image=busybox", "--restart=Never").assertOk();
    kubectl.run("-n", "counts", "create", "configmap", "cm1").assertOk();
    Kubectl.Result third = kubectl.run("-n", "counts", "run", "p3", "--image=busybox", "--restart=Never");
    assertThat(third.exitCode()).isNotZero();
    assertThat(third.stderr()).contains("pods \"p3\" is forbidden: exceeded quota: counts, requested: pods=1, "
        + "used: pods=2, limited: pods=2");
    awaitUsed("counts", "counts", Map.of("pods", "2", "count/configmaps", "1", "services", "0"));
    String described = kubectl.run("-n", "counts", "describe", "quota", "counts").assertOk().stdout();
    assertThat(described).containsPattern("Resource\\s+Used\\s+Hard").containsPattern("pods\\s+2\\s+2")
        .containsPattern("count/configmaps\\s+1\\s+3");
    assertThat(kubectl.run("-n", "counts", "get", "quota").assertOk().stdout())
        .contains("count/configmaps: 1/3, pods: 2/2, services: 0/1");

    kubectl.run("-n", "counts", "delete", "pod", "p1", "--grace-period=0", "--force").assertOk();
    awaitUsed("counts", "counts", Map.of("pods", "1", "count/configmaps", "1", "services", "0"));
    kubectl.run("-n", "counts", "run", "p3", "--image=busybox", "--restart=Never").assertOk();
  }

  @Test
  void computeQuotaDemandsRequestsAndSumsThem() throws Exception {
    cluster.createNamespace("compute");
    kubectl.run("-n", "compute", "create", "quota", "compute", "--hard=requests.cpu=1,limits.memory=1Gi")
        .assertOk();
    awaitUsed("compute", "compute", Map.of("requests.cpu", "0", "limits.memory", "0"));
    Kubectl.Result bare = apply("compute", pod("bare", "{}"));
    assertThat(bare.stderr()).contains("pods \"bare\" is forbidden: failed quota: compute: "
        + "must specify limits.memory for: c; requests.cpu for: c");
    apply("compute", pod("a", "{requests: {cpu: 600m}, limits: {memory: 512Mi}}")).assertOk();
    Kubectl.Result tooMuch = apply("compute", pod("b", "{requests: {cpu: 500m}, limits: {memory: 256Mi}}"));
    assertThat(tooMuch.stderr()).contains("exceeded quota: compute, requested: requests.cpu=500m, "
        + "used: requests.cpu=600m, limited: requests.cpu=1");
    apply("compute", pod("c", "{requests: {cpu: 400m}, limits: {memory: 512Mi}}")).assertOk();
    awaitUsed("compute", "compute", Map.of("requests.cpu", "1", "limits.memory", "1Gi"));
  }

  @Test
  void servicesAreChargedOnCreateAndWhenAnUpdateAddsNodePorts() {
    cluster.createNamespace("svc");
    kubectl.run("-n", "svc", "create", "quota", "svc", "--hard=services=2,services.nodeports=1").assertOk();
    awaitUsed("svc", "svc", Map.of("services", "0", "services.nodeports", "0"));
    kubectl.run("-n", "svc", "create", "service", "clusterip", "a", "--tcp=80:80").assertOk();
    kubectl.run("-n", "svc", "create", "service", "nodeport", "b", "--tcp=80:80").assertOk();
    Kubectl.Result patch = kubectl.run("-n", "svc", "patch", "service", "a", "-p", "{\"spec\":{\"type\":\"NodePort\"}}");
    assertThat(patch.exitCode()).isNotZero();
    assertThat(patch.stderr()).contains("services \"a\" is forbidden: exceeded quota: svc, requested: "
        + "services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1");
    assertThat(kubectl.run("-n", "svc", "create", "service", "clusterip", "c", "--tcp=80:80").stderr())
        .contains("exceeded quota: svc, requested: services=1, used: services=2, limited: services=2");
    awaitUsed("svc", "svc", Map.of("services", "2", "services.nodeports", "1"));
  }

  @Test
  void scopedQuotaCountsOnlyMatchingPods() throws Exception {
    cluster.createNamespace("scoped");
    kubectl.run("-n", "scoped", "create", "quota", "besteffort", "--hard=pods=1", "--scopes=BestEffort").assertOk();
    awaitUsed("scoped", "besteffort", Map.of("pods", "0"));
    apply("scoped", pod("be1", "{}")).assertOk();
    assertThat(apply("scoped", pod("be2", "{}")).stderr())
        .contains("exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1");
    apply("scoped", pod("burstable", "{requests: {memory: 10Mi}}")).assertOk();
    awaitUsed("scoped", "besteffort", Map.of("pods", "1"));
  }

  @Test
  void limitRangeDefaultsAndMaxima() throws Exception {
    cluster.createNamespace("limits");
    apply("limits", """
        apiVersion: v1
        kind: LimitRange
        metadata: {name: cpu}
        spec:
          limits:
          - type: Container
            max: {cpu: 500m}
            default: {cpu: 300m}
            defaultRequest: {cpu: 100m}
        """).assertOk();
    apply("limits", pod("defaulted", "{}")).assertOk();
    Pod p = cluster.client.pods().inNamespace("limits").withName("defaulted").get();
    var res = p.getSpec().getContainers().getFirst().getResources();
    assertThat(res.getRequests()).containsEntry("cpu", new Quantity("100m"));
    assertThat(res.getLimits()).containsEntry("cpu", new Quantity("300m"));
    assertThat(p.getMetadata().getAnnotations()).containsEntry("kubernetes.io/limit-ranger",
        "LimitRanger plugin set: cpu request for container c; cpu limit for container c");
    Kubectl.Result big = apply("limits", pod("big", "{limits: {cpu: 1}}"));
    assertThat(big.exitCode()).isNotZero();
    assertThat(big.stderr()).contains(
        "pods \"big\" is forbidden: maximum cpu usage per Container is 500m, but limit is 1");
  }

  @Test
  void concurrentCreatesNeverOvershootTheQuota() throws Exception {
    cluster.createNamespace("race");
    kubectl.run("-n", "race", "create", "quota", "five", "--hard=pods=5").assertOk();
    awaitUsed("race", "five", Map.of("pods", "0"));
    List<Future<Boolean>> creates = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 16; i++) {
        Pod pod = new PodBuilder().withNewMetadata().withName("r" + i).endMetadata().withNewSpec().addNewContainer()
            .withName("c").withImage("busybox").endContainer().endSpec().build();
        creates.add(pool.submit(() -> {
          try {
            cluster.client.pods().inNamespace("race").resource(pod).create();
            return true;
          } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
              throw e;
            }
            return false;
          }
        }));
      }
    }
    long admitted = 0;
    for (Future<Boolean> f : creates) {
      admitted += f.get() ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(5);
    assertThat(cluster.client.pods().inNamespace("race").list().getItems()).hasSize(5);
    awaitUsed("race", "five", Map.of("pods", "5"));
  }
}
