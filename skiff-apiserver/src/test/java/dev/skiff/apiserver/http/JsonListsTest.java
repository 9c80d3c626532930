package dev.skiff.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.api.FieldSelector;
import dev.skiff.apiserver.api.LabelSelector;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.json.JsonBuffer;
import dev.skiff.apiserver.registry.BuiltInResources;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.ListOptions;
import dev.skiff.apiserver.registry.ListResult;
import dev.skiff.apiserver.registry.NamespaceLifecycle;
import dev.skiff.apiserver.registry.ResourceLister;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.cache.WatchCaches;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON lists written from stored bytes are byte for byte the lists the tree path writes, from the
 * watch cache and from the store, with selectors and pages, on a real SQLite store.
 */
class JsonListsTest {
  @TempDir Path dir;
  Store store;
  WatchCaches caches;
  GenericStore cached;
  GenericStore uncached;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dir.resolve("state.db"));
    List<ResourceStrategy> strategies = BuiltInResources.strategies(store);
    ResourceStrategy configMaps = strategies.stream()
        .filter(s -> s.definition().plural().equals("configmaps")).findFirst().orElseThrow();
    ResourceStrategy namespaces = strategies.stream()
        .filter(s -> s.definition().plural().equals("namespaces")).findFirst().orElseThrow();
    caches = new WatchCaches(store, new WatchCaches.Settings(100, 100, Duration.ofMillis(200)));
    NamespaceLifecycle lifecycle = new NamespaceLifecycle(store);
    new GenericStore(store, namespaces, lifecycle, InstantSource.system())
        .create("", (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"ns\"}}".getBytes(StandardCharsets.UTF_8)), false);
    cached = new GenericStore(store, configMaps, lifecycle, InstantSource.system(), caches);
    uncached = new GenericStore(store, configMaps, lifecycle, InstantSource.system());
    for (int i = 0; i < 25; i++) {
      String body = """
          {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-%02d","labels":{"tier":"%s"},
           "annotations":{"note":"quote \\" brace } bracket ] é"}},"data":{"k":"v%d","kind":"x"}}"""
          .formatted(i, i % 3 == 0 ? "db" : "web", i);
      cached.create("ns", (ObjectNode) Json.parse(body.getBytes(StandardCharsets.UTF_8)), false);
    }
  }

  @AfterEach
  void close() {
    caches.close();
    store.close();
  }

  /** The list as the handler built it before: decoded items without kind and apiVersion, in a tree. */
  private static String treeList(GenericStore store, ListResult result) {
    ObjectNode list = Json.object().put("kind", store.definition().listKind())
        .put("apiVersion", store.definition().apiVersion());
    ObjectNode meta = list.putObject("metadata").put("resourceVersion", Long.toString(result.revision()));
    if (!result.continueToken().isEmpty()) {
      meta.put("continue", result.continueToken());
    }
    if (result.remainingItemCount() != null) {
      meta.put("remainingItemCount", result.remainingItemCount());
    }
    ArrayNode items = list.putArray("items");
    result.items().forEach(item -> items.add(item.without(List.of("kind", "apiVersion"))));
    return Json.writeString(list);
  }

  private static void assertSameList(GenericStore store, ListOptions options, int expectedItems) {
    ResourceLister lister = new ResourceLister(store);
    JsonBuffer fast = JsonLists.write(store, lister.listStored("ns", options));
    String spliced = new String(fast.array(), 0, fast.size(), StandardCharsets.UTF_8);
    String tree = treeList(store, lister.list("ns", options));
    assertThat(spliced).isEqualTo(tree);
    assertThat(Json.parse(fast.array().length == fast.size() ? fast.array()
        : java.util.Arrays.copyOf(fast.array(), fast.size())).path("items").size()).isEqualTo(expectedItems);
  }

  private static ListOptions options(String labels, int limit, String continueToken) {
    return new ListOptions(labels.isEmpty() ? LabelSelector.EVERYTHING : LabelSelector.parse(labels),
        FieldSelector.EVERYTHING, limit, continueToken, "", "", false, null, Duration.ofMinutes(1));
  }

  @Test
  void everythingFromTheCacheAndFromTheStore() {
    assertSameList(cached, options("", 0, ""), 25);
    assertSameList(uncached, options("", 0, ""), 25);
  }

  @Test
  void withALabelSelector() {
    assertSameList(cached, options("tier=db", 0, ""), 9);
    assertSameList(uncached, options("tier!=db", 0, ""), 16);
  }

  @Test
  void pagesCarryTheContinueTokenAndRemainingCount() {
    ListResult first = new ResourceLister(cached).list("ns", options("", 10, ""));
    assertThat(first.continueToken()).isNotEmpty();
    assertThat(first.remainingItemCount()).isEqualTo(15L);
    assertSameList(cached, options("", 10, ""), 10);
    assertSameList(cached, options("", 10, first.continueToken()), 10);
    assertSameList(uncached, options("tier=web", 5, ""), 5);
  }

  private static String json(GenericStore store, ListOptions options) {
    JsonBuffer out = JsonLists.write(store, new ResourceLister(store).listStored("ns", options));
    return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
  }

  @Test
  void aLaterPageFromTheCacheIsTheStoresPageAtTheTokensRevision() {
    String token = new ResourceLister(cached).list("ns", options("", 10, "")).continueToken();
    // nothing changed since the first page: the cache serves the page, and it is the store's
    assertThat(json(cached, options("", 10, token))).isEqualTo(json(uncached, options("", 10, token)));
    // a change after the first page: the page still shows the token's revision, without the change
    cached.create("ns", (ObjectNode) Json.parse("{\"metadata\":{\"name\":\"cm-zz\"}}"
        .getBytes(StandardCharsets.UTF_8)), false);
    ListResult second = new ResourceLister(cached).list("ns", options("", 100, token));
    assertThat(second.items()).hasSize(15)
        .noneMatch(o -> o.path("metadata").path("name").asString().equals("cm-zz"));
    assertThat(json(cached, options("", 100, token))).isEqualTo(json(uncached, options("", 100, token)));
  }

  @Test
  void anEmptyList() {
    assertSameList(cached, options("tier=none", 0, ""), 0);
  }
}
