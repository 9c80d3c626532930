package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's own checks; a running server is tested end to end in skiff-e2e. */
class ServerCommandTest {
  @TempDir Path dataDir;

  private record Run(int exitCode, String out, String err) {}

  private static Run skiff(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SkiffCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void aMalformedEndpointIsAUsageErrorThatNamesTheAcceptedForms() {
    Run run = skiff("server", "--data-dir", dataDir.toString(),
        "--datastore-endpoint", "mysql://db:3306");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not understood").contains("http://127.0.0.1:2379");
  }

  @Test
  void theVersionNamesTheKubernetesVersion() {
    Run run = skiff("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Kubernetes v1.32.0");
  }

  @Test
  void aDataDirThatCannotBeCreatedFailsWithAMessage() throws Exception {
    Path file = dataDir.resolve("not-a-dir");
    Files.writeString(file, "x");

    Run run = skiff("server", "--data-dir", file.resolve("inner").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot create the data dir").contains("not-a-dir");
  }
}
