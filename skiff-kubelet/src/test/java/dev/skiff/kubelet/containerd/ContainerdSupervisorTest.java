package dev.skiff.kubelet.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.kubelet.cri.CriConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdSupervisorTest {

  @TempDir
  Path tmp;

  @Test
  void startFailsWithTheExitStatusWhenContainerdDies() {
    var config = new ContainerdConfig(tmp, "docker.io/skiff/pause:1.35", Path.of("/bin/false"),
        Path.of("/usr/sbin/runc"), Path.of("/usr/lib/cni"), tmp.resolve("net.d"));
    assertThatThrownBy(() -> ContainerdSupervisor.start(config, Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class).hasMessageContaining("exited with status 1");
  }

  @Test
  void aNewSupervisorStopsTheContainerdThatAKilledOneLeftBehind() throws Exception {
    var config = ContainerdConfig.debianDefaults(tmp.resolve("node"), "docker.io/skiff/pause:1.35");
    ContainerdSupervisor orphaned = ContainerdSupervisor.start(config, Duration.ofSeconds(30));
    long orphanPid = orphaned.pid().orElseThrow();
    try (var successor = ContainerdSupervisor.start(config, Duration.ofSeconds(30))) {
      assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(successor.pid()).isPresent().isNotEqualTo(orphaned.pid());
      try (var cri = CriConnection.open(successor.socket(), Duration.ofSeconds(5))) {
        assertThat(cri.runtime().version(Duration.ofSeconds(5)).runtimeName()).isEqualTo("containerd");
      }
    } finally {
      orphaned.close();
    }
    assertThat(config.dataDir().resolve("containerd.pid")).doesNotExist();
  }

  @Test
  void attachFailsWhenNoSocketAppears() {
    assertThatThrownBy(() -> ContainerdSupervisor.attach(tmp.resolve("none.sock"), Duration.ofMillis(200)))
        .isInstanceOf(IOException.class).hasMessageContaining("no CRI socket");
  }
}
