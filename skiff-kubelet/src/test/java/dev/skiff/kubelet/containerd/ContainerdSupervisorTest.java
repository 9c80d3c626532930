package dev.skiff.kubelet.containerd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void attachFailsWhenNoSocketAppears() {
    assertThatThrownBy(() -> ContainerdSupervisor.attach(tmp.resolve("none.sock"), Duration.ofMillis(200)))
        .isInstanceOf(IOException.class).hasMessageContaining("no CRI socket");
  }
}
