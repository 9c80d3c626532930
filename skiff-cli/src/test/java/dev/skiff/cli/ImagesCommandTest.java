package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.kubelet.image.BusyboxImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff images import} without a running node: archives are kept for the agent's next start. */
class ImagesCommandTest {
  @TempDir Path tmp;

  @Test
  void anArchiveIsKeptInTheNodesImageDirectoryWhenContainerdDoesNotRun() throws Exception {
    Path archive = tmp.resolve("busybox.tar");
    BusyboxImages.debian().writeLayout(archive);
    Path data = tmp.resolve("data");

    CliRun run = CliRun.skiff("images", "import", "--data-dir", data.toString(), archive.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("kept").contains("when it next starts");
    Path kept = data.resolve("agent/images/busybox.tar");
    assertThat(kept).exists();
    assertThat(Files.mismatch(kept, archive)).isEqualTo(-1L);
  }

  @Test
  void aMissingArchiveFailsWithItsName() {
    CliRun run = CliRun.skiff("images", "import", "--data-dir", tmp.toString(), tmp.resolve("nope.tar").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot import").contains("nope.tar");
    assertThat(tmp.resolve("agent/images/nope.tar")).doesNotExist();
  }
}
