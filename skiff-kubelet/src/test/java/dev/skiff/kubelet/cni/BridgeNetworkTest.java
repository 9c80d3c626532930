package dev.skiff.kubelet.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeNetworkTest {

  @TempDir
  Path tmp;

  @Test
  void conflistChainsBridgeWithHostLocalAndPortmapForThePodCidr() {
    var network = new BridgeNetwork("skiff", "skiff0", Ipv4Cidr.parse("10.42.5.0/24"), tmp.resolve("ipam"));
    JsonObject list = JsonParser.parseString(network.conflist()).getAsJsonObject();
    assertThat(list.get("cniVersion").getAsString()).isEqualTo("1.0.0");
    assertThat(list.get("name").getAsString()).isEqualTo("skiff");
    var plugins = list.getAsJsonArray("plugins");
    assertThat(plugins).hasSize(2);

    JsonObject bridge = plugins.get(0).getAsJsonObject();
    assertThat(bridge.get("type").getAsString()).isEqualTo("bridge");
    assertThat(bridge.get("bridge").getAsString()).isEqualTo("skiff0");
    assertThat(bridge.get("isGateway").getAsBoolean()).isTrue();
    assertThat(bridge.get("ipMasq").getAsBoolean()).isFalse();
    JsonObject ipam = bridge.getAsJsonObject("ipam");
    assertThat(ipam.get("type").getAsString()).isEqualTo("host-local");
    assertThat(ipam.get("dataDir").getAsString()).isEqualTo(tmp.resolve("ipam").toString());
    JsonObject range = ipam.getAsJsonArray("ranges").get(0).getAsJsonArray().get(0).getAsJsonObject();
    assertThat(range.get("subnet").getAsString()).isEqualTo("10.42.5.0/24");
    assertThat(range.get("gateway").getAsString()).isEqualTo("10.42.5.1");

    JsonObject portmap = plugins.get(1).getAsJsonObject();
    assertThat(portmap.get("type").getAsString()).isEqualTo("portmap");
    assertThat(portmap.getAsJsonObject("capabilities").get("portMappings").getAsBoolean()).isTrue();
  }

  @Test
  void writesOneConflistAndNoTemporaryFileContainerdCouldLoad() throws Exception {
    var network = new BridgeNetwork("skiff", "skiff0", Ipv4Cidr.parse("10.42.0.0/24"), tmp.resolve("ipam"));
    Path confDir = tmp.resolve("net.d");
    Path file = network.writeTo(confDir);
    network.writeTo(confDir); // rewriting replaces it
    assertThat(file).hasFileName(BridgeNetwork.FILE_NAME).hasContent(network.conflist().stripTrailing());
    try (var files = Files.list(confDir)) {
      assertThat(files).containsExactly(file);
    }
    assertThat(tmp.resolve("ipam")).isDirectory();
  }

  @Test
  void refusesABridgeNameLinuxWouldRefuse() {
    assertThatThrownBy(() -> new BridgeNetwork("skiff", "a-very-long-bridge", Ipv4Cidr.parse("10.42.0.0/24"), tmp))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
