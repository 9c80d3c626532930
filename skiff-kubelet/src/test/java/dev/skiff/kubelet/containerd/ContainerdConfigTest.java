package dev.skiff.kubelet.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.kubelet.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdConfigTest {

  @TempDir
  Path tmp;

  /** containerd itself parses the file and prints the merged config: what it will really run with. */
  @Test
  void containerdReadsTheConfigAsMeant() throws Exception {
    var config = ContainerdConfig.debianDefaults(tmp.resolve("data \"dir\""), "docker.io/skiff/pause:1.35");
    Files.createDirectories(config.dataDir());
    Files.writeString(config.configFile(), config.toml());
    String dump = HostCommand.of("containerd", "--config", config.configFile().toString(), "config", "dump").output();
    String dataDir = config.dataDir().toString().replace("\"", "\\\"");
    assertThat(dump)
        .contains("root = \"" + dataDir + "/root\"")
        .contains("state = \"" + dataDir + "/state\"")
        .contains("address = \"" + dataDir + "/containerd.sock\"")
        .contains("restrict_oom_score_adj = true")
        .contains("sandbox_image = \"docker.io/skiff/pause:1.35\"")
        .contains("runtime_type = \"io.containerd.runc.v2\"")
        .contains("SystemdCgroup = false")
        .contains("BinaryName = \"/usr/sbin/runc\"")
        .contains("bin_dir = \"/usr/lib/cni\"")
        .contains("conf_dir = \"" + dataDir + "/cni/net.d\"")
        .contains("stream_server_address = \"127.0.0.1\"");
  }

  @Test
  void refusesADataDirTooLongForItsSocket() {
    Path deep = tmp.resolve("x".repeat(100));
    assertThatThrownBy(() -> ContainerdConfig.debianDefaults(deep, "docker.io/skiff/pause:1.35"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unix socket");
  }
}
