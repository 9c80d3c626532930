package dev.skiff.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.MutableClock;
import dev.skiff.controllers.testing.StandaloneController;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
 * The pod garbage collector with a short period, the upstream quarantine and a clock the test
 * moves past it, against an in-process ApiServer.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PodGarbageCollectorTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static MutableClock clock = new MutableClock();
  static StandaloneController<PodGarbageCollector> gc;
  static final String NS = "podgc";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of());
    cluster.createNamespace(NS);
    gc = new StandaloneController<>(cluster.client, clock,
        ctx -> new PodGarbageCollector(ctx, new PodGcConfig(3, Duration.ofMillis(200), Duration.ofSeconds(40))));
  }

  @AfterAll
  static void stop() {
    if (gc != null) {
      gc.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static Pod pod(String name, String node) {
    return cluster.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name)
        .withLabels(java.util.Map.of("test", name.replaceAll("-\\d+$", ""))).endMetadata().withNewSpec().withNodeName(node)
        .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
  }

  static boolean exists(String name) {
    return cluster.client.pods().inNamespace(NS).withName(name).get() != null;
  }

  @Test
  void podsOfAMissingNodeGoAfterTheQuarantineOthersStay() throws Exception {
    cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("present").endMetadata().build()).create();
    pod("on-ghost", "ghost");
    pod("on-present", "present");
    // a few rounds inside the quarantine: nothing goes
    Thread.sleep(1_500);
    assertThat(exists("on-ghost")).isTrue();
    clock.advance(Duration.ofSeconds(41));
    await().atMost(Duration.ofSeconds(20)).until(() -> !exists("on-ghost"));
    assertThat(exists("on-present")).isTrue();
  }

  @Test
  void terminatedPodsBeyondTheThresholdGoOldestFirst() throws Exception {
    for (int i = 0; i < 5; i++) {
      Pod p = pod("done-" + i, "");
      cluster.client.pods().inNamespace(NS).withName(p.getMetadata().getName()).editStatus(s -> {
        s.getStatus().setPhase("Succeeded");
        return s;
      });
      Thread.sleep(1_100); // creation times have whole seconds: keep them apart
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<String> left = cluster.client.pods().inNamespace(NS).withLabel("test", "done").list().getItems().stream()
          .map(p -> p.getMetadata().getName()).toList();
      assertThat(left).containsExactlyInAnyOrder("done-2", "done-3", "done-4");
    });
  }
}
