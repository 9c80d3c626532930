package dev.skiff.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out of one write to many HTTP watch streams: every stream gets the same bytes, in write
 * order, and streams whose clients leave do not hold up the rest.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WatchFanOutTest {
  private static final int WATCHES = 60;
  private static final int WRITES = 25;

  @TempDir Path dir;

  @Test
  void everyWatchGetsTheSameFramesInWriteOrderWhileOthersLeave() throws Exception {
    try (Store store = SqliteStore.open(dir.resolve("state.db"));
        ApiServer server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null))) {
      server.start();
      ApiClient api = ApiClient.of(dir.resolve("tls"), server.port(), true);
      String from = Long.toString(store.currentRevision());
      List<HttpResponse<Stream<String>>> watches = new ArrayList<>();
      List<HttpResponse<Stream<String>>> leaving = new ArrayList<>();
      try {
        for (int i = 0; i < WATCHES; i++) {
          watches.add(api.stream("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + from));
        }
        for (int i = 0; i < 10; i++) {
          leaving.add(api.stream("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + from));
        }
        for (int i = 0; i < WRITES; i++) {
          if (i == 5) {
            // these clients go away mid-stream, while frames are being written to them
            leaving.forEach(w -> w.body().close());
          }
          HttpResponse<String> created = api.send("POST", "/api/v1/namespaces/default/configmaps",
              "application/json", "{\"metadata\":{\"name\":\"fan-" + i + "\"},\"data\":{\"i\":\"" + i + "\"}}");
          assertThat(created.statusCode()).isEqualTo(201);
        }
        List<String> reference = null;
        for (HttpResponse<Stream<String>> w : watches) {
          Iterator<String> lines = w.body().iterator();
          List<String> got = new ArrayList<>();
          for (int i = 0; i < WRITES; i++) {
            got.add(lines.next());
          }
          for (int i = 0; i < WRITES; i++) {
            assertThat(got.get(i)).startsWith("{\"type\":\"ADDED\"").contains("\"name\":\"fan-" + i + "\"");
          }
          if (reference == null) {
            reference = got;
          }
          assertThat(got).isEqualTo(reference);
        }
      } finally {
        watches.forEach(w -> w.body().close());
      }
    }
  }
}
