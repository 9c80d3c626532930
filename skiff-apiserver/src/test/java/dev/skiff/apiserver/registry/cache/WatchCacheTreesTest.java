package dev.skiff.apiserver.registry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.BuiltInResources;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.ListOptions;
import dev.skiff.apiserver.registry.NamespaceLifecycle;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.ResourceWatch;
import dev.skiff.apiserver.registry.WatchEvent;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.Store;
import dev.skiff.storage.WriteResult;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window keeps decoded trees only for its newest events; a watch from further back still gets
 * every older event whole and right (decoded again from the kept bytes), on a real SQLite store.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchCacheTreesTest {
  @TempDir Path dir;

  @Test
  void aWatchFromBeforeTheNewestEventsGetsEveryEventRight() throws Exception {
    try (Store store = SqliteStore.open(dir.resolve("state.db"));
        WatchCaches caches = new WatchCaches(store, new WatchCaches.Settings(500, 500, Duration.ofMillis(200)))) {
      ResourceStrategy strategy = BuiltInResources.strategies(store).stream()
          .filter(s -> s.definition().plural().equals("configmaps")).findFirst().orElseThrow();
      GenericStore configMaps = new GenericStore(store, strategy, new NamespaceLifecycle(store),
          InstantSource.system(), caches);
      WatchCache cache = configMaps.watchCache().orElseThrow();
      long start = cache.revision();
      List<Long> revisions = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        Bytes value = Bytes.of("{\"metadata\":{\"name\":\"cm-" + i + "\",\"namespace\":\"ns\"},\"data\":{\"i\":\"" + i + "\"}}");
        Bytes key = configMaps.codec().key("ns", "cm-" + i);
        revisions.add(((WriteResult.Written) store.create(key, value)).kv().modRevision());
      }
      // a change to an early object, so that a MODIFIED's previous object is an old one too
      long modified = ((WriteResult.Written) store.update(configMaps.codec().key("ns", "cm-0"),
          Bytes.of("{\"metadata\":{\"name\":\"cm-0\",\"namespace\":\"ns\"},\"data\":{\"i\":\"again\"}}"),
          revisions.getFirst())).kv().modRevision();
      assertThat(cache.awaitRevision(modified, Duration.ofSeconds(20))).isTrue();
      ListOptions all = ListOptions.everything();
      ListOptions from = new ListOptions(all.labelSelector(), all.fieldSelector(), 0, "", Long.toString(start), "",
          false, null, all.timeout());
      try (ResourceWatch w = new ResourceWatch(configMaps, "ns", from, Duration.ofMinutes(1))) {
        List<WatchEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.size() < 401 && System.nanoTime() < deadline) {
          events.addAll(w.poll(Duration.ofMillis(200)));
        }
        assertThat(events).hasSize(401);
        for (int i = 0; i < 400; i++) {
          WatchEvent e = events.get(i);
          assertThat(e.type()).isEqualTo("ADDED");
          assertThat(e.object().path("metadata").path("name").asString()).isEqualTo("cm-" + i);
          assertThat(e.object().path("metadata").path("resourceVersion").asString())
              .isEqualTo(Long.toString(revisions.get(i)));
          String frame = new String(e.jsonFrame().get(), StandardCharsets.UTF_8);
          assertThat(Json.parse(frame.getBytes(StandardCharsets.UTF_8)).path("object").path("data").path("i").asString())
              .isEqualTo(Integer.toString(i));
        }
        assertThat(events.getLast().type()).isEqualTo("MODIFIED");
        assertThat(events.getLast().object().path("data").path("i").asString()).isEqualTo("again");
      }
    }
  }
}
