package dev.skiff.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CidrSetTest {
  @Test
  void handsOutEveryBlockOnceSkippingOccupiedOnesAndWalksOnAfterARelease() {
    CidrSet set = new CidrSet("10.42.0.0/16", 24);
    assertThat(set.occupy("10.42.0.0/24")).isTrue();
    assertThat(set.occupy("10.43.0.0/24")).isFalse();
    assertThat(set.occupy("10.42.0.0/25")).isFalse();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 255; i++) {
      seen.add(set.allocateNext().orElseThrow());
    }
    assertThat(seen).hasSize(255).doesNotContain("10.42.0.0/24").contains("10.42.1.0/24", "10.42.255.0/24");
    assertThat(set.allocateNext()).isEmpty();
    set.release("10.42.7.0/24");
    assertThat(set.allocateNext()).isEqualTo(Optional.of("10.42.7.0/24"));
  }

  @Test
  void smallerBlocksAndBadMasks() {
    CidrSet set = new CidrSet("10.42.0.0/16", 26);
    assertThat(set.allocateNext()).contains("10.42.0.0/26");
    assertThat(set.allocateNext()).contains("10.42.0.64/26");
    assertThat(set.free()).isEqualTo(1022);
    assertThatThrownBy(() -> new CidrSet("10.42.0.0/16", 8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CidrSet("10.0.0.0/8", 25)).isInstanceOf(IllegalArgumentException.class);
  }
}
