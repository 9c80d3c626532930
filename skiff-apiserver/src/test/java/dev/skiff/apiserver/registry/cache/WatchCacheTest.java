package dev.skiff.apiserver.registry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.registry.BuiltInResources;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.ListOptions;
import dev.skiff.apiserver.registry.NamespaceLifecycle;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.ResourceWatch;
import dev.skiff.apiserver.registry.WatchEvent;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.Store;
import dev.skiff.storage.WriteResult;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watch cache over a real SQLite store: its window, its watchers' isolation, its 410s. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchCacheTest {
  @TempDir Path dir;
  Store store;
  GenericStore configMaps;
  ObjectCodec codec;
  WatchCaches caches;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dir.resolve("state.db"));
    ResourceStrategy strategy = BuiltInResources.strategies(store).stream()
        .filter(s -> s.definition().plural().equals("configmaps")).findFirst().orElseThrow();
    caches = new WatchCaches(store, new WatchCaches.Settings(20, 10, Duration.ofMillis(200)));
    configMaps = new GenericStore(store, strategy, new NamespaceLifecycle(store), InstantSource.system(), caches);
    codec = configMaps.codec();
  }

  @AfterEach
  void close() {
    caches.close();
    store.close();
  }

  private long put(String name) {
    Bytes value = Bytes.of("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\"}}");
    return ((WriteResult.Written) store.create(codec.key("ns", name), value)).kv().modRevision();
  }

  private static ListOptions from(String rv) {
    ListOptions all = ListOptions.everything();
    return new ListOptions(all.labelSelector(), all.fieldSelector(), 0, "", rv, "", false, null, all.timeout());
  }

  private static List<WatchEvent> drain(ResourceWatch w, int atLeast) throws InterruptedException {
    List<WatchEvent> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (out.size() < atLeast && !w.isDone() && System.nanoTime() < deadline) {
      out.addAll(w.poll(Duration.ofMillis(200)));
    }
    return out;
  }

  @Test
  void aSlowWatcherIsEndedWithoutHoldingUpOthers() throws Exception {
    WatchCache cache = configMaps.watchCache().orElseThrow();
    WatchCache.Registration slow = cache.watch(codec.prefix("ns"), cache.revision(), false);
    try (ResourceWatch fast = new ResourceWatch(configMaps, "ns", from(Long.toString(cache.revision())),
        Duration.ofMinutes(1))) {
      // the fast watcher takes each change before the next write; the slow one never reads
      List<WatchEvent> fastEvents = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        put("cm-" + i);
        fastEvents.addAll(drain(fast, i + 1 - fastEvents.size()));
      }
      assertThat(fastEvents).hasSize(50).allMatch(e -> e.type().equals("ADDED"));
      assertThat(fastEvents.getLast().object().path("metadata").path("name").asString()).isEqualTo("cm-49");
      // the slow one got at most its capacity, then its end
      List<CacheWatcher.Item> slowItems = slow.watcher().poll(Duration.ZERO);
      assertThat(slowItems.getLast()).isInstanceOf(CacheWatcher.Ended.class);
      assertThat(((CacheWatcher.Ended) slowItems.getLast()).overflow()).isTrue();
      assertThat(slowItems.size() - 1).isLessThanOrEqualTo(10);
      assertThat(cache.watcherCount()).isEqualTo(1);
    }
  }

  @Test
  void aWatchOlderThanTheWindowGets410() throws Exception {
    WatchCache cache = configMaps.watchCache().orElseThrow();
    long start = cache.revision();
    for (int i = 0; i < 30; i++) {
      put("old-" + i);
    }
    assertThat(cache.awaitRevision(store.currentRevision(), Duration.ofSeconds(10))).isTrue();
    assertThat(cache.oldestRevision()).isGreaterThan(start);
    try (ResourceWatch tooOld = new ResourceWatch(configMaps, "ns", from(Long.toString(start)), Duration.ofMinutes(1))) {
      List<WatchEvent> events = drain(tooOld, 1);
      assertThat(events).hasSize(1);
      assertThat(events.getFirst().type()).isEqualTo("ERROR");
      assertThat(events.getFirst().object().path("code").asInt()).isEqualTo(410);
      assertThat(tooOld.isDone()).isTrue();
    }
    // from inside the window: exactly the later changes, once each
    long inside = cache.oldestRevision() + 5;
    try (ResourceWatch w = new ResourceWatch(configMaps, "ns", from(Long.toString(inside)), Duration.ofMinutes(1))) {
      long expected = store.currentRevision() - inside;
      List<WatchEvent> events = drain(w, (int) expected);
      assertThat(events).hasSize((int) expected);
      assertThat(events.getFirst().object().path("metadata").path("resourceVersion").asString())
          .isEqualTo(Long.toString(inside + 1));
    }
  }

  @Test
  void aWatchStartedBeforeTheCacheFallsBackToTheStore() throws Exception {
    long before = store.currentRevision();
    put("early");
    // the cache starts now, after the change the watch wants: the store serves the watch instead
    try (ResourceWatch w = new ResourceWatch(configMaps, "ns", from(Long.toString(before)), Duration.ofMinutes(1))) {
      List<WatchEvent> events = drain(w, 1);
      assertThat(events).extracting(WatchEvent::type).containsExactly("ADDED");
      assertThat(events.getFirst().jsonFrame()).isNull();
    }
  }
}
