package dev.skiff.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EtcdProcessTest {

  @Test
  void startsHealthyAndCleansUp() {
    long started = System.nanoTime();
    Path dataDir;
    long pid;
    try (EtcdProcess etcd = EtcdProcess.start()) {
      System.out.printf("etcd healthy after %d ms%n", (System.nanoTime() - started) / 1_000_000);
      dataDir = etcd.member().dataDir();
      pid = etcd.pid();
      assertThat(etcd.isAlive()).isTrue();
      assertThat(Files.isDirectory(dataDir)).isTrue();
      assertThat(etcd.clientUri().getHost()).isEqualTo("127.0.0.1");
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(Files.exists(dataDir.getParent())).isFalse();
  }

  @Test
  void clusterSurvivesKillAndRestartsMember() {
    long started = System.nanoTime();
    try (EtcdCluster cluster = EtcdCluster.start(3)) {
      System.out.printf("3-member cluster healthy after %d ms%n", (System.nanoTime() - started) / 1_000_000);
      assertThat(cluster.endpoints()).hasSize(3).doesNotHaveDuplicates();
      OptionalInt leader = cluster.leader();
      assertThat(leader).isPresent();
      int victim = leader.getAsInt();
      cluster.kill(victim);
      assertThat(cluster.isAlive(victim)).isFalse();
      cluster.restart(victim);
      assertThat(cluster.isAlive(victim)).isTrue();
    }
  }
}
