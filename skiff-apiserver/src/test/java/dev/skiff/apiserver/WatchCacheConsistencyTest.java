package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Lists and watches served from the watch cache stay consistent with the writes before them. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WatchCacheConsistencyTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null));
    server.start();
    api = ApiClient.of(dir.resolve("tls"), server.port(), true);
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  private static JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r = api.send("POST", path, "application/json", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.parse(r.body().getBytes());
  }

  private static long rv(JsonNode obj) {
    return Long.parseLong(obj.path("metadata").path("resourceVersion").asString());
  }

  @Test
  void everyListAfterAWriteSeesTheWrite() throws Exception {
    for (int i = 0; i < 30; i++) {
      long written = rv(post(CMS, "{\"metadata\":{\"name\":\"seen-" + i + "\"}}"));
      JsonNode list = Json.parse(api.get(CMS).body().getBytes());
      assertThat(rv(list)).isGreaterThanOrEqualTo(written);
      List<String> names = new ArrayList<>();
      list.path("items").forEach(o -> names.add(o.path("metadata").path("name").asString()));
      assertThat(names).contains("seen-" + i);
      // a write to another resource: a consistent list of configmaps is at least as new
      long other = rv(post("/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"other-" + i + "\"}}"));
      assertThat(rv(Json.parse(api.get(CMS + "?labelSelector=none%3Dthere").body().getBytes())))
          .isGreaterThanOrEqualTo(other);
    }
  }

  @Test
  void aWatchFromAListedRevisionGetsExactlyTheLaterChanges() throws Exception {
    String ns = "/api/v1/namespaces/kube-public/configmaps";
    post(ns, "{\"metadata\":{\"name\":\"before\"}}");
    long listed = rv(Json.parse(api.get(ns).body().getBytes()));
    post(ns, "{\"metadata\":{\"name\":\"after-1\",\"labels\":{\"a\":\"b\"}}}");
    post(ns, "{\"metadata\":{\"name\":\"after-2\"}}");
    assertThat(api.send("PATCH", ns + "/before", "application/merge-patch+json", "{\"data\":{\"k\":\"v\"}}")
        .statusCode()).isEqualTo(200);
    assertThat(api.send("DELETE", ns + "/after-2", null, null).statusCode()).isEqualTo(200);
    HttpResponse<Stream<String>> watch = api.stream(ns + "?watch=true&timeoutSeconds=3&resourceVersion=" + listed);
    List<String> seen = new ArrayList<>();
    try (Stream<String> lines = watch.body()) {
      lines.forEach(l -> {
        JsonNode e = Json.parse(l.getBytes());
        seen.add(e.path("type").asString() + " " + e.path("object").path("metadata").path("name").asString());
      });
    }
    assertThat(seen).containsExactly("ADDED after-1", "ADDED after-2", "MODIFIED before", "DELETED after-2");

    // the same from a label-selected watch: only what matches
    HttpResponse<Stream<String>> selected = api.stream(ns + "?watch=true&timeoutSeconds=2&labelSelector=a%3Db"
        + "&resourceVersion=" + listed);
    try (Stream<String> lines = selected.body()) {
      assertThat(lines.toList()).hasSize(1).first().asString().contains("after-1");
    }
  }
}
