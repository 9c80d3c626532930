package dev.skiff.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Leader election on the kube-system/kube-controller-manager Lease: one manager runs, the other takes over. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ControllerManagerTest {
  @TempDir Path dir;

  static ControllerManagerConfig config(String identity) {
    return new ControllerManagerConfig(Set.of(ReplicaSetController.NAME), 1, true, identity, Duration.ofSeconds(3),
        Duration.ofSeconds(2), Duration.ofMillis(500));
  }

  @Test
  void onlyTheLeaseHolderRunsControllersAndAnotherTakesOverAfterClose() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, Set.of())) {
      cluster.manager.close(); // the fixture's own manager releases the lease
      ControllerManager a = new ControllerManager(cluster.client, config("a"));
      ControllerManager b = new ControllerManager(cluster.client, config("b"));
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> a.isRunning() || b.isRunning());
        ControllerManager leader = a.isRunning() ? a : b;
        ControllerManager follower = leader == a ? b : a;
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !follower.isRunning());
        String holder = cluster.client.leases().inNamespace(ControllerManager.LEASE_NAMESPACE)
            .withName(ControllerManager.LEASE_NAME).get().getSpec().getHolderIdentity();
        assertThat(holder).isEqualTo(leader == a ? "a" : "b");
        leader.close();
        assertThat(leader.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(follower::isRunning);
      } finally {
        a.close();
        b.close();
      }
    }
  }
}
