package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Open watches must not tie up the threads that serve other requests. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ManyWatchesTest {
  private static final int WATCHES = 300;

  @TempDir Path dir;

  @Test
  void requestsAreServedWhileManyWatchesAreOpen() throws Exception {
    try (Store store = SqliteStore.open(dir.resolve("state.db"));
        ApiServer server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null))) {
      server.start();
      ApiClient api = ApiClient.of(dir.resolve("tls"), server.port(), true);
      List<HttpResponse<Stream<String>>> watches = new ArrayList<>();
      try {
        for (int i = 0; i < WATCHES; i++) {
          watches.add(api.stream("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
              + store.currentRevision() + "&timeoutSeconds=60"));
        }
        long start = System.nanoTime();
        HttpResponse<String> created = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
            "{\"metadata\":{\"name\":\"while-watched\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        // every watch sees the write
        for (HttpResponse<Stream<String>> w : watches) {
          assertThat(w.body().iterator().next()).contains("while-watched");
        }
      } finally {
        watches.forEach(w -> w.body().close());
      }
    }
  }
}
