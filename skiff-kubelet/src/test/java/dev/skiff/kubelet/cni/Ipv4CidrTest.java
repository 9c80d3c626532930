package dev.skiff.kubelet.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4CidrTest {

  record Containment(String cidr, String address, boolean contained) {}

  static Stream<Containment> containment() {
    return Stream.of(
        new Containment("10.42.0.0/24", "10.42.0.1", true),
        new Containment("10.42.0.0/24", "10.42.0.255", true),
        new Containment("10.42.0.0/24", "10.42.1.0", false),
        new Containment("10.42.0.0/16", "10.42.255.7", true),
        new Containment("10.42.0.0/16", "10.255.255.53", false),
        new Containment("10.0.0.0/8", "10.255.255.53", true),
        new Containment("0.0.0.0/0", "192.0.2.1", true),
        new Containment("200.1.2.3/32", "200.1.2.3", true),
        new Containment("200.1.2.3/32", "200.1.2.4", false));
  }

  @ParameterizedTest
  @MethodSource("containment")
  void containsExactlyTheAddressesOfItsNetwork(Containment c) {
    assertThat(Ipv4Cidr.parse(c.cidr()).contains(c.address())).isEqualTo(c.contained());
  }

  @Test
  void roundTripsAndGivesTheFirstHostAsGateway() {
    Ipv4Cidr cidr = Ipv4Cidr.parse("10.42.3.0/24");
    assertThat(cidr).hasToString("10.42.3.0/24");
    assertThat(cidr.gateway()).isEqualTo("10.42.3.1");
    assertThat(Ipv4Cidr.parse("200.128.0.0/9").gateway()).isEqualTo("200.128.0.1");
  }

  @Test
  void overlapIsSymmetricAndExact() {
    Ipv4Cidr cluster = Ipv4Cidr.parse("10.42.0.0/16");
    assertThat(cluster.overlaps(Ipv4Cidr.parse("10.42.7.0/24"))).isTrue();
    assertThat(Ipv4Cidr.parse("10.42.7.0/24").overlaps(cluster)).isTrue();
    assertThat(cluster.overlaps(Ipv4Cidr.parse("10.43.0.0/16"))).isFalse();
    assertThat(Ipv4Cidr.parse("10.0.0.0/8").overlaps(Ipv4Cidr.parse("10.255.255.0/24"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.42.0.1/24", "10.42.0.0", "10.42.0/24", "10.42.0.256/24", "10.42.0.0/33",
      "10.42.0.0/-1", "a.b.c.d/8", "10.42..0/24", "10.42.0.0/x"})
  void refusesWhatIsNotANetwork(String text) {
    assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
