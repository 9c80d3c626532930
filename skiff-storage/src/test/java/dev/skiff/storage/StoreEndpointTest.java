package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StoreEndpointTest {
  private final Path dataDir = Path.of("/tmp/skiff-data");

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "sqlite"})
  void emptyOrSqliteMeansTheEmbeddedFileInTheDataDir(String spec) {
    assertThat(StoreEndpoint.parse(spec, dataDir))
        .isEqualTo(new StoreEndpoint.Embedded(Path.of("/tmp/skiff-data/server/db/state.db")));
  }

  @Test
  void commaSeparatedUrlsNameAnEtcdCluster() {
    assertThat(StoreEndpoint.parse("http://127.0.0.1:2379, https://127.0.0.2:2379", dataDir))
        .isEqualTo(new StoreEndpoint.Etcd(
            java.util.List.of(URI.create("http://127.0.0.1:2379"),
                URI.create("https://127.0.0.2:2379"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://db:3306", "127.0.0.1:2379", "http://127.0.0.1", "http://:80"})
  void anythingElseIsRefusedWithTheAcceptedForms(String spec) {
    assertThatThrownBy(() -> StoreEndpoint.parse(spec, dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://127.0.0.1:2379")
        .hasMessageContaining("sqlite");
  }
}
