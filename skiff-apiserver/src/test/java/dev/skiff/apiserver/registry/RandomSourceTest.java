package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomSourceTest {
  @Test
  void uuidsAreDistinctVersion4UuidsAcrossBlockBoundaries() {
    RandomSource source = new RandomSource(new SecureRandom());
    Set<String> seen = new HashSet<>();
    // 10,000 uids use 40 blocks of 4 KiB
    for (int i = 0; i < 10_000; i++) {
      UUID parsed = UUID.fromString(source.uuid());
      assertThat(parsed.version()).isEqualTo(4);
      assertThat(parsed.variant()).isEqualTo(2);
      seen.add(parsed.toString());
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void charsComeFromTheAlphabetAndEachIsDrawn() {
    RandomSource source = new RandomSource(new SecureRandom());
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    Map<Character, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      String s = source.chars(alphabet, 5);
      assertThat(s).hasSize(5).matches("[" + alphabet + "]{5}");
      s.chars().forEach(c -> counts.merge((char) c, 1, Integer::sum));
    }
    // 10,000 draws over 27 characters: ~370 each; a uniform draw never leaves one below 200
    assertThat(counts).hasSize(alphabet.length());
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(200, 600));
  }

  @Test
  void anAlphabetLongerThanAByteIsRefused() {
    assertThatThrownBy(() -> RandomSource.SHARED.chars("x".repeat(257), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
