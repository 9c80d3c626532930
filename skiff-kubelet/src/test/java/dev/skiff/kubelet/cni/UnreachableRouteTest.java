package dev.skiff.kubelet.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnreachableRouteTest {

  @TempDir
  Path tmp;

  @Test
  void refusesToMakeTenSlashEightOrAnyWideNetworkUnreachable() {
    assertThatThrownBy(() -> UnreachableRoute.forClusterCidr(Ipv4Cidr.parse("10.0.0.0/8")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wider than /16");
    assertThatThrownBy(() -> UnreachableRoute.forClusterCidr(Ipv4Cidr.parse("10.40.0.0/13")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesACidrThatHoldsTheNodesNameserver() throws Exception {
    Path resolvConf = tmp.resolve("resolv.conf");
    Files.writeString(resolvConf, "search example\nnameserver fd00::53\nnameserver 10.42.9.53\n");
    assertThatThrownBy(() -> new UnreachableRoute(Ipv4Cidr.parse("10.42.0.0/16"), 4_000_000_000L, resolvConf))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.42.9.53");
    // a CIDR beside the nameserver is fine
    new UnreachableRoute(Ipv4Cidr.parse("10.43.0.0/16"), 4_000_000_000L, resolvConf);
  }

  @Test
  void ensureIsIdempotentAndRemoveUndoesIt() throws Exception {
    // a range of its own, inside the cluster CIDR, so that it never meets what other tests add
    var route = new UnreachableRoute(Ipv4Cidr.parse("10.42.254.0/24"), 4_000_000_001L, Path.of("/etc/resolv.conf"));
    route.remove();
    try {
      assertThat(route.present()).isFalse();
      assertThat(route.ensure()).isTrue();
      assertThat(route.present()).isTrue();
      assertThat(route.ensure()).as("second ensure adds nothing").isFalse();
    } finally {
      assertThat(route.remove()).isTrue();
    }
    assertThat(route.present()).isFalse();
    assertThat(route.remove()).isFalse();
  }
}
