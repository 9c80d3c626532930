package dev.skiff.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.base.OwnerReferences;
import dev.skiff.controllers.testing.Kubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StatefulSet controller against an in-process ApiServer on SQLite, with fabric8 and the real
 * kubectl. No kubelet runs: the test marks pods Running and Ready itself, so it decides when each
 * ordinal becomes ready and can see that the next one waits.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StatefulSetControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "sts";
  static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(StatefulSetController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static StatefulSet statefulSet(String name, int replicas, String policy) {
    PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName("www").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build();
    return new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(name + "-svc").withPodManagementPolicy(policy)
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox:1").endContainer().endSpec().endTemplate()
        .withVolumeClaimTemplates(claim)
        .endSpec().build();
  }

  static Pod pod(String name) {
    return cluster.client.pods().inNamespace(NS).withName(name).get();
  }

  static List<String> podNames(String app) {
    return cluster.client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
        .map(p -> p.getMetadata().getName()).sorted().toList();
  }

  static StatefulSet get(String name) {
    return cluster.client.apps().statefulSets().inNamespace(NS).withName(name).get();
  }

  @Test
  void orderedReadyCreatesOneOrdinalAtATimeAndScalesDownFromTheTop() throws Exception {
    StatefulSet set = cluster.client.apps().statefulSets().inNamespace(NS).resource(statefulSet("web", 3, "OrderedReady"))
        .create();
    for (int i = 0; i < 3; i++) {
      String name = "web-" + i;
      await().atMost(WAIT).until(() -> pod(name) != null);
      // the next ordinal must not appear while this one is not ready
      Thread.sleep(1_500);
      assertThat(pod("web-" + (i + 1))).as("web-%d before %s is ready", i + 1, name).isNull();
      Pod p = pod(name);
      assertThat(p.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", name)
          .containsEntry("apps.kubernetes.io/pod-index", Integer.toString(i)).containsKey("controller-revision-hash");
      assertThat(p.getSpec().getHostname()).isEqualTo(name);
      assertThat(p.getSpec().getSubdomain()).isEqualTo("web-svc");
      assertThat(p.getSpec().getVolumes()).anySatisfy(v -> {
        assertThat(v.getName()).isEqualTo("www");
        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-" + name);
      });
      assertThat(OwnerReferences.controllerOf(p).orElseThrow().getUid()).isEqualTo(set.getMetadata().getUid());
      assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS).withName("www-" + name).get()).isNotNull();
      assertThat(cluster.markReady(p)).isTrue();
    }
    await().atMost(WAIT).untilAsserted(() -> {
      var s = get("web").getStatus();
      assertThat(s.getReplicas()).isEqualTo(3);
      assertThat(s.getReadyReplicas()).isEqualTo(3);
      assertThat(s.getAvailableReplicas()).isEqualTo(3);
      assertThat(s.getCurrentReplicas()).isEqualTo(3);
      assertThat(s.getUpdatedReplicas()).isEqualTo(3);
      assertThat(s.getCurrentRevision()).isEqualTo(s.getUpdateRevision()).startsWith("web-");
      assertThat(s.getObservedGeneration()).isEqualTo(get("web").getMetadata().getGeneration());
    });
    List<String> messages = cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "web".equals(e.getInvolvedObject().getName())).map(Event::getMessage).toList();
    assertThat(messages).contains("create Pod web-0 in StatefulSet web successful",
        "create Claim www-web-0 Pod web-0 in StatefulSet web success");

    cluster.client.apps().statefulSets().inNamespace(NS).withName("web").scale(1);
    // scale down goes from the highest ordinal: web-1 is never gone while web-2 remains
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> names = podNames("web");
    while (!names.equals(List.of("web-0")) && System.nanoTime() < deadline) {
      assertThat(names).as("pods while scaling down").isIn(List.of("web-0", "web-1", "web-2"), List.of("web-0", "web-1"));
      Thread.sleep(20);
      names = podNames("web");
    }
    assertThat(names).containsExactly("web-0");
    // claims are retained (the default policy)
    assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS).withName("www-web-2").get()).isNotNull();
  }

  @Test
  void parallelCreatesEveryOrdinalWithoutWaiting() {
    cluster.client.apps().statefulSets().inNamespace(NS).resource(statefulSet("par", 3, "Parallel")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(podNames("par")).containsExactly("par-0", "par-1", "par-2"));
    assertThat(cluster.client.pods().inNamespace(NS).withLabel("app", "par").list().getItems())
        .noneMatch(Kubelet::ready);
    // a failed pod is replaced by a new pod of the same name
    String failedUid = pod("par-1").getMetadata().getUid();
    cluster.client.pods().inNamespace(NS).withName("par-1").editStatus(p -> {
      p.getStatus().setPhase("Failed");
      return p;
    });
    await().atMost(WAIT).untilAsserted(() -> {
      Pod replaced = pod("par-1");
      assertThat(replaced).isNotNull();
      assertThat(replaced.getMetadata().getUid()).isNotEqualTo(failedUid);
    });
    assertThat(cluster.client.v1().events().inNamespace(NS).list().getItems()).extracting(Event::getMessage)
        .contains("StatefulSet par is recreating failed Pod par-1");
  }

  @Test
  void minReadySecondsHoldsTheNextOrdinalUntilThePodIsAvailable() throws Exception {
    StatefulSet spec = statefulSet("slow", 2, "OrderedReady");
    spec.getSpec().setVolumeClaimTemplates(null);
    spec.getSpec().setMinReadySeconds(3);
    try (Kubelet kubelet = new Kubelet(cluster, NS, Duration.ofMillis(50))) {
      cluster.client.apps().statefulSets().inNamespace(NS).resource(spec).create();
      await().atMost(WAIT).untilAsserted(() -> {
        var s = get("slow").getStatus();
        assertThat(s).isNotNull();
        assertThat(s.getReadyReplicas()).isEqualTo(2);
        assertThat(s.getAvailableReplicas()).isEqualTo(2);
      });
    }
    Instant ready = Instant.parse(pod("slow-0").getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow().getLastTransitionTime());
    Instant created = Instant.parse(pod("slow-1").getMetadata().getCreationTimestamp());
    // both times are whole seconds: 3 s apart at least, less one for truncation
    assertThat(Duration.between(ready, created)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void retentionPolicyHandsClaimsToTheSetAndToCondemnedPods() {
    StatefulSet spec = statefulSet("ret", 2, "Parallel");
    spec.getSpec().setPersistentVolumeClaimRetentionPolicy(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
            .withWhenDeleted("Delete").withWhenScaled("Delete").build());
    StatefulSet set = cluster.client.apps().statefulSets().inNamespace(NS).resource(spec).create();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(podNames("ret")).containsExactly("ret-0", "ret-1");
      for (String claim : List.of("www-ret-0", "www-ret-1")) {
        var pvc = cluster.client.persistentVolumeClaims().inNamespace(NS).withName(claim).get();
        assertThat(pvc).isNotNull();
        assertThat(pvc.getMetadata().getLabels()).containsEntry("app", "ret");
        assertThat(pvc.getMetadata().getOwnerReferences()).extracting(r -> r.getUid())
            .containsExactly(set.getMetadata().getUid());
      }
    });
    String condemnedUid = pod("ret-1").getMetadata().getUid();
    cluster.client.apps().statefulSets().inNamespace(NS).withName("ret").scale(1);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(podNames("ret")).containsExactly("ret-0");
      var pvc = cluster.client.persistentVolumeClaims().inNamespace(NS).withName("www-ret-1").get();
      // the garbage collector (not running here) deletes it once both owners are gone
      assertThat(pvc.getMetadata().getOwnerReferences()).extracting(r -> r.getKind() + "/" + r.getUid())
          .contains("Pod/" + condemnedUid, "StatefulSet/" + set.getMetadata().getUid());
    });
    // back to Retain: the set lets go of the claims of its live ordinals
    cluster.client.apps().statefulSets().inNamespace(NS).withName("ret").edit(s -> {
      s.getSpec().getPersistentVolumeClaimRetentionPolicy().setWhenDeleted("Retain");
      return s;
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS)
        .withName("www-ret-0").get().getMetadata().getOwnerReferences()).isNullOrEmpty());
  }

  @Test
  void rollingUpdateHonoursThePartitionThenFinishesWithKubectl() throws Exception {
    StatefulSet spec = statefulSet("db", 3, "OrderedReady");
    spec.getSpec().setVolumeClaimTemplates(null);
    try (Kubelet kubelet = new Kubelet(cluster, NS, Duration.ofMillis(50))) {
      cluster.client.apps().statefulSets().inNamespace(NS).resource(spec).create();
      var status = cluster.kubectl.run(Duration.ofSeconds(60), "-n", NS, "rollout", "status", "statefulset/db",
          "--timeout=50s");
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      // apps/v1 defaults partition to 0, so kubectl reports the partitioned form (it does against upstream too)
      assertThat(status.stdout()).contains("partitioned roll out complete: 3 new pods have been updated");
      String first = get("db").getStatus().getCurrentRevision();

      cluster.client.apps().statefulSets().inNamespace(NS).withName("db").edit(s -> {
        s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(2);
        s.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("busybox:2");
        return s;
      });
      await().atMost(WAIT).untilAsserted(() -> {
        var s = get("db").getStatus();
        assertThat(s.getUpdatedReplicas()).isEqualTo(1);
        assertThat(s.getReadyReplicas()).isEqualTo(3);
        assertThat(image(pod("db-2"))).isEqualTo("busybox:2");
      });
      String second = get("db").getStatus().getUpdateRevision();
      assertThat(second).isNotEqualTo(first);
      assertThat(get("db").getStatus().getCurrentRevision()).isEqualTo(first);
      // ordinals below the partition stay at the current revision
      Thread.sleep(1_000);
      assertThat(image(pod("db-0"))).isEqualTo("busybox:1");
      assertThat(image(pod("db-1"))).isEqualTo("busybox:1");

      cluster.kubectl.run("-n", NS, "patch", "statefulset/db", "-p",
          "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0}}}}").assertOk();
      status = cluster.kubectl.run(Duration.ofSeconds(60), "-n", NS, "rollout", "status", "statefulset/db",
          "--timeout=50s");
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      await().atMost(WAIT).untilAsserted(() -> {
        var s = get("db").getStatus();
        assertThat(s.getCurrentRevision()).isEqualTo(second);
        assertThat(s.getUpdatedReplicas()).isEqualTo(3);
      });
      assertThat(List.of(image(pod("db-0")), image(pod("db-1")), image(pod("db-2")))).containsOnly("busybox:2");

      var history = cluster.kubectl.run("-n", NS, "rollout", "history", "statefulset/db").assertOk();
      assertThat(history.stdout()).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
      cluster.kubectl.run("-n", NS, "rollout", "undo", "statefulset/db").assertOk();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        var s = get("db").getStatus();
        assertThat(s.getUpdateRevision()).isEqualTo(first);
        assertThat(s.getCurrentRevision()).isEqualTo(first);
        assertThat(Arrays.asList(image(pod("db-0")), image(pod("db-1")), image(pod("db-2")))).containsOnly("busybox:1");
      });
      // the rolled-back revision is renumbered to 3 rather than copied
      var revisions = cluster.client.apps().controllerRevisions().inNamespace(NS).withLabel("app", "db").list().getItems();
      assertThat(revisions).hasSize(2);
      assertThat(revisions.stream().filter(r -> r.getMetadata().getName().equals(first)).findFirst().orElseThrow()
          .getRevision()).isEqualTo(3L);
    }
  }

  static String image(Pod p) {
    return p == null ? null : p.getSpec().getContainers().getFirst().getImage();
  }
}
