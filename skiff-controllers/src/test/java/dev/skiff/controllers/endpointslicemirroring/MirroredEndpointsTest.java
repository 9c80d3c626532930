package dev.skiff.controllers.endpointslicemirroring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.controllers.endpointslice.SliceShape;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirroredEndpointsTest {
  @Test
  void groupsByAddressTypeAndPortsAndSkipsWhatIsNotAnIp() {
    Endpoints ep = new EndpointsBuilder().withNewMetadata().withName("e").endMetadata()
        .addNewSubset().addNewPort().withName("a").withPort(80).endPort()
        .addNewAddress().withIp("10.0.0.010").endAddress().addNewAddress().withIp("fd00::1").endAddress()
        .addNewAddress().withIp("example.com").endAddress().addNewNotReadyAddress().withIp("10.0.0.2").endNotReadyAddress()
        .endSubset()
        .addNewSubset().addNewPort().withName("b").withPort(81).withProtocol("UDP").endPort()
        .addNewAddress().withIp("10.0.0.10").endAddress().addNewAddress().withIp("999.1.1.1").endAddress().endSubset()
        .build();
    MirroredEndpoints m = MirroredEndpoints.of(ep, 1000);
    assertThat(m.invalid()).isEqualTo(2);
    assertThat(m.overLimit()).isZero();
    Map<SliceShape, List<Endpoint>> groups = m.endpoints();
    assertThat(groups).hasSize(3);
    assertThat(groups.keySet()).extracting(SliceShape::addressType).containsExactlyInAnyOrder("IPv4", "IPv6", "IPv4");
    List<Endpoint> v4a = groups.entrySet().stream()
        .filter(e -> e.getKey().addressType().equals("IPv4") && e.getKey().ports().getFirst().getPort() == 80)
        .findFirst().orElseThrow().getValue();
    // leading zeros dropped as Go's parser does; not-ready addresses kept with ready=false
    assertThat(v4a).extracting(e -> e.getAddresses().getFirst() + "/" + e.getConditions().getReady())
        .containsExactly("10.0.0.10/true", "10.0.0.2/false");
  }

  @Test
  void takesAtMostTheLimitPerSubset() {
    var subset = new EndpointsBuilder().withNewMetadata().withName("e").endMetadata().addNewSubset()
        .addNewPort().withPort(80).endPort();
    for (int i = 1; i <= 5; i++) {
      subset.addNewAddress().withIp("10.0.0." + i).endAddress();
    }
    MirroredEndpoints m = MirroredEndpoints.of(subset.endSubset().build(), 3);
    assertThat(m.overLimit()).isEqualTo(2);
    assertThat(m.endpoints().values()).singleElement().satisfies(l -> assertThat(l).hasSize(3));
  }

  @Test
  void canonicalIpNeverResolvesNames() {
    assertThat(MirroredEndpoints.canonicalIp("localhost")).isEmpty();
    assertThat(MirroredEndpoints.canonicalIp("::ffff:1.2.3.4")).contains("1.2.3.4");
    assertThat(MirroredEndpoints.canonicalIp("FD00::1")).contains("fd00::1");
    assertThat(MirroredEndpoints.canonicalIp("1.2.3")).isEmpty();
  }
}
