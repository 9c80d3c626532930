package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's own checks; a running server is tested end to end in skiff-e2e. */
class ServerCommandTest {
  @TempDir Path dataDir;

  @Test
  void aMalformedEndpointIsAUsageErrorThatNamesTheAcceptedForms() {
    CliRun run = CliRun.skiff("server", "--data-dir", dataDir.toString(),
        "--datastore-endpoint", "mysql://db:3306");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not understood").contains("http://127.0.0.1:2379");
  }

  @Test
  void theVersionNamesTheKubernetesVersion() {
    CliRun run = CliRun.skiff("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Kubernetes v1.32.0");
  }

  @Test
  void aDataDirThatCannotBeCreatedFailsWithAMessage() throws Exception {
    Path file = dataDir.resolve("not-a-dir");
    Files.writeString(file, "x");

    CliRun run = CliRun.skiff("server", "--data-dir", file.resolve("inner").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot create the data dir").contains("not-a-dir");
  }

  @Test
  void anAdvertiseAddressThatIsNotAnIpFailsTheStartWithAMessage() {
    CliRun run = CliRun.skiff("server", "--data-dir", dataDir.toString(), "--disable-agent",
        "--https-listen-port", "0", "--bind-address", "127.0.0.1", "--advertise-address", "example.com");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot start the API server").contains("not an IP address: example.com");
  }

  @Test
  void aTrainingRunServesItsRequestsThenStopsAndExitsZero() {
    CliRun run = CliRun.skiff("server", "--data-dir", dataDir.toString(), "--disable-agent",
        "--https-listen-port", "0", "--bind-address", "127.0.0.1", "--training-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("training request failed");
    assertThat(run.out()).contains("API server ready").contains("controller manager started")
        .contains("training run done");
  }
}
