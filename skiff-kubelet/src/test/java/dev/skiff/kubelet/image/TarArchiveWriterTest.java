package dev.skiff.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.kubelet.HostCommand;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GNU tar is the judge: what it lists and extracts is what the archive says. */
class TarArchiveWriterTest {

  @TempDir
  Path tmp;

  @Test
  void gnuTarReadsDirectoriesFilesAndSymlinks() throws Exception {
    byte[] content = new byte[1000]; // spans two blocks: padding must be right
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) ('a' + i % 26);
    }
    Path archive = tmp.resolve("a.tar");
    try (var out = Files.newOutputStream(archive); var tar = new TarArchiveWriter(out)) {
      tar.directory("bin", 0755);
      tar.directory("tmp", 01777);
      tar.file("bin/tool", 0755, content);
      tar.symlink("bin/alias", "tool");
      tar.file("empty", 0600, new byte[0]);
    }
    String listing = HostCommand.of("tar", "-tvf", archive.toString()).output();
    assertThat(listing.lines()).hasSize(5);
    assertThat(listing).contains("drwxrwxrwt root/root").contains("bin/alias -> tool");

    Path out = Files.createDirectory(tmp.resolve("x"));
    HostCommand.of("tar", "-xpf", archive.toString(), "-C", out.toString()).output();
    assertThat(Files.readAllBytes(out.resolve("bin/tool"))).isEqualTo(content);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/tool"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(Files.readSymbolicLink(out.resolve("bin/alias"))).isEqualTo(Path.of("tool"));
    assertThat(out.resolve("empty")).isEmptyFile();
  }

  @Test
  void sameEntriesGiveTheSameBytes() throws Exception {
    assertThat(archiveOf("x")).isEqualTo(archiveOf("x")).isNotEqualTo(archiveOf("y"));
  }

  @Test
  void refusesNamesThatDoNotFitTheHeader() {
    var tar = new TarArchiveWriter(new ByteArrayOutputStream());
    assertThatThrownBy(() -> tar.file("d/".repeat(60), 0644, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] archiveOf(String text) throws Exception {
    var bytes = new ByteArrayOutputStream();
    try (var tar = new TarArchiveWriter(bytes)) {
      tar.file("f", 0644, text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
