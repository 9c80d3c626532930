package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class BytesTest {

  record PrefixEndCase(byte[] prefix, byte[] end) {}

  static Stream<PrefixEndCase> prefixEnds() {
    return Stream.of(
        new PrefixEndCase(new byte[] {'a', 'b'}, new byte[] {'a', 'c'}),
        new PrefixEndCase(new byte[] {'a', (byte) 0xff}, new byte[] {'b'}),
        new PrefixEndCase(new byte[] {(byte) 0xff, (byte) 0xff}, new byte[0]),
        new PrefixEndCase(new byte[0], new byte[0]),
        new PrefixEndCase(new byte[] {0x7f}, new byte[] {(byte) 0x80}));
  }

  @ParameterizedTest
  @MethodSource("prefixEnds")
  void prefixEndIsTheFirstKeyPastThePrefix(PrefixEndCase c) {
    assertThat(Bytes.copyOf(c.prefix()).prefixEnd()).isEqualTo(Bytes.copyOf(c.end()));
  }

  @Test
  void orderIsUnsignedLexicographic() {
    Bytes low = Bytes.wrap(new byte[] {0x01});
    Bytes high = Bytes.wrap(new byte[] {(byte) 0x80});
    Bytes longer = Bytes.wrap(new byte[] {0x01, 0x00});

    assertThat(low).isLessThan(high);
    assertThat(low).isLessThan(longer);
    assertThat(longer).isLessThan(high);
    assertThat(low.successor()).isEqualTo(longer);
  }

  @Test
  void copiesAreIndependentOfTheirSource() {
    byte[] source = {'a'};
    Bytes copy = Bytes.copyOf(source);
    source[0] = 'b';

    assertThat(copy.toStringUtf8()).isEqualTo("a");
    copy.toByteArray()[0] = 'c';
    assertThat(copy.toStringUtf8()).isEqualTo("a");
  }

  @Test
  void printableBytesShowAsTextAndOthersAsHex() {
    assertThat(Bytes.of("/registry/pods").toString()).isEqualTo("/registry/pods");
    assertThat(Bytes.wrap(new byte[] {0, 0x1f}).toString()).isEqualTo("0x001f");
  }
}
