package dev.skiff.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

  @TempDir Path dir;

  private static FileProjection file(String content, int mode) {
    return new FileProjection(content.getBytes(StandardCharsets.UTF_8), mode);
  }

  @Test
  void writesTheDataLinkLayoutAndSwapsVersionsWhole() throws Exception {
    var writer = new AtomicWriter(dir);
    assertThat(writer.write(Map.of("a", file("1", 0644), "sub/b", file("2", 0400)))).isTrue();
    assertThat(dir.resolve("..data")).isSymbolicLink();
    assertThat(Files.readSymbolicLink(dir.resolve("a"))).isEqualTo(Path.of("..data/a"));
    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("1");
    assertThat(Files.readString(dir.resolve("sub/b"))).isEqualTo("2");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/b")))).isEqualTo("r--------");
    Path first = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));

    assertThat(writer.write(Map.of("a", file("1", 0644), "sub/b", file("2", 0400)))).as("same payload").isFalse();
    assertThat(dir.resolve(Files.readSymbolicLink(dir.resolve("..data")))).isEqualTo(first);

    assertThat(writer.write(Map.of("a", file("changed", 0644)))).isTrue();
    assertThat(Files.readString(dir.resolve("a"))).isEqualTo("changed");
    assertThat(dir.resolve("sub")).as("a key that went away").doesNotExist();
    assertThat(first).as("the old version is removed").doesNotExist();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..2")).count())
        .isEqualTo(1);
  }

  @Test
  void refusesPathsLeavingTheVolume() {
    var writer = new AtomicWriter(dir);
    assertThatThrownBy(() -> writer.write(Map.of("../escape", file("x", 0644))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer.write(Map.of("/abs", file("x", 0644))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer.write(Map.of("a/../../b", file("x", 0644))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labelsAreSortedQuotedLines() {
    assertThat(VolumeProjection.keyValueLines(Map.of("b", "two \"q\"", "a", "1")))
        .isEqualTo("a=\"1\"\nb=\"two \\\"q\\\"\"");
  }
}
