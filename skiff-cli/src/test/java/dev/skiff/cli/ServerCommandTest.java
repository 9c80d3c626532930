package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Bytes;
import dev.skiff.storage.Store;
import dev.skiff.storage.StoreEndpoint;
import dev.skiff.storage.Stores;
import dev.skiff.testkit.EtcdProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
  void serverOpensTheEmbeddedStoreThenSaysWhatIsNotBuiltYet() {
    Run run = skiff("server", "--data-dir", dataDir.toString());

    assertThat(run.exitCode()).isEqualTo(ServerCommand.NOT_BUILT_YET);
    assertThat(run.out()).contains("embedded SQLite at " + dataDir.resolve("server/db/state.db"))
        .contains("datastore ready at revision 1");
    assertThat(run.err()).contains("API server is not built yet");
    assertThat(dataDir.resolve("server/db/state.db")).exists();
  }

  @Test
  void theEmbeddedStoreKeepsItsStateAcrossRuns() {
    StoreEndpoint endpoint = StoreEndpoint.parse("sqlite", dataDir);
    try (Store store = Stores.open(endpoint)) {
      store.create(Bytes.of("/registry/namespaces/default"), Bytes.of("{}"));
    }

    Run run = skiff("server", "--data-dir", dataDir.toString());

    assertThat(run.out()).contains("datastore ready at revision 2");
  }

  @Test
  void serverUsesEtcdWhenGivenItsUrl() {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      Run run = skiff("server", "--data-dir", dataDir.toString(),
          "--datastore-endpoint", etcd.clientUri().toString());

      assertThat(run.exitCode()).isEqualTo(ServerCommand.NOT_BUILT_YET);
      assertThat(run.out()).contains("etcd at " + etcd.clientUri()).contains("datastore ready");
    }
  }

  @Test
  void aMalformedEndpointIsAUsageErrorThatNamesTheAcceptedForms() {
    Run run = skiff("server", "--data-dir", dataDir.toString(),
        "--datastore-endpoint", "mysql://db:3306");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("not understood").contains("http://127.0.0.1:2379");
  }

  @Test
  void aDataDirThatCannotBeCreatedFailsWithAMessage() throws Exception {
    Path file = dataDir.resolve("not-a-dir");
    Files.writeString(file, "x");

    Run run = skiff("server", "--data-dir", file.resolve("inner").toString());

    assertThat(run.exitCode()).isNotZero().isNotEqualTo(ServerCommand.NOT_BUILT_YET);
    assertThat(run.err()).contains("not-a-dir");
  }
}
