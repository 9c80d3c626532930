package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff simulate}'s refusals, before it talks to any cluster. Adding nodes to a running
 * server and killing them is proven end to end by skiff-e2e's SimulatedClusterEndToEndTest.
 */
class SimulateCommandTest {
  @TempDir Path tmp;

  @Test
  void aNodeCountBelowOneIsAUsageError() {
    CliRun run = CliRun.skiff("simulate", "--nodes", "0", "--kubeconfig", tmp.resolve("k.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--nodes must be at least 1");
  }

  @Test
  void aPrefixThatIsNoDnsLabelIsAUsageError() {
    CliRun run = CliRun.skiff("simulate", "--nodes", "1", "--name-prefix", "Extra_Nodes",
        "--kubeconfig", tmp.resolve("k.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--name-prefix must be a DNS label");
  }

  @Test
  void aMissingKubeconfigIsNamed() {
    Path missing = tmp.resolve("nowhere/kubeconfig.yaml");
    CliRun run = CliRun.skiff("simulate", "--nodes", "1", "--kubeconfig", missing.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot read the kubeconfig").contains(missing.toString());
  }
}
