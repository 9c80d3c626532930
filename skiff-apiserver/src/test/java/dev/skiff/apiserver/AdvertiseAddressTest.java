package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdvertiseAddressTest {

  @Test
  void theConfiguredAddressWins() {
    assertThat(AdvertiseAddress.resolve("192.0.2.10", "0.0.0.0")).isEqualTo("192.0.2.10");
    assertThat(AdvertiseAddress.resolve(" 192.0.2.11 ", "127.0.0.1")).isEqualTo("192.0.2.11");
  }

  @Test
  void aSpecificBindAddressIsAdvertised() {
    assertThat(AdvertiseAddress.resolve(null, "192.0.2.20")).isEqualTo("192.0.2.20");
  }

  @Test
  void unspecifiedOrLoopbackBindAdvertisesThePrimaryAddress() {
    String primary = AdvertiseAddress.primaryIpv4().orElseThrow();
    assertThat(primary).doesNotStartWith("127.");
    assertThat(AdvertiseAddress.resolve(null, "0.0.0.0")).isEqualTo(primary);
    assertThat(AdvertiseAddress.resolve("", "127.0.0.1")).isEqualTo(primary);
    assertThat(AdvertiseAddress.resolve("0.0.0.0", "0.0.0.0")).isEqualTo(primary);
  }

  @Test
  void aNameIsRefused() {
    assertThatThrownBy(() -> AdvertiseAddress.resolve("example.com", "0.0.0.0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address");
  }
}
