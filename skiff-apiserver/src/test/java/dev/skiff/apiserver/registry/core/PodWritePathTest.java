package dev.skiff.apiserver.registry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.admission.Admission;
import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.apply.WriteOrigin;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.AdmissionPlugins;
import dev.skiff.apiserver.registry.GenericStore;
import dev.skiff.apiserver.registry.NamespaceLifecycle;
import dev.skiff.apiserver.registry.ObjectLookup;
import dev.skiff.apiserver.registry.ResourceStrategy;
import dev.skiff.apiserver.registry.cache.WatchCaches;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A pod's create and binding on real SQLite stores with watch caches: what the creating writer owns
 * (upstream records ownership before mutating admission), and bindings that start from a cached
 * copy which is not the stored one.
 */
class PodWritePathTest {
  private static final WriteOrigin WRITER = WriteOrigin.update(null, "writer/1.0", "");

  @TempDir Path dir;
  private final java.util.List<AutoCloseable> open = new java.util.ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** The namespaces, service accounts and pods stores of one server on {@code store}, caches from {@code cacheStore}. */
  private record Cluster(GenericStore namespaces, GenericStore accounts, GenericStore pods) {}

  private Cluster cluster(Store store, Store cacheStore) {
    WatchCaches caches = new WatchCaches(cacheStore, WatchCaches.Settings.defaults(Duration.ofSeconds(60)));
    open.add(caches);
    NamespaceLifecycle lifecycle = new NamespaceLifecycle(store);
    ObjectLookup lookup = new ObjectLookup(store, null);
    GenericStore namespaces = null;
    GenericStore accounts = null;
    GenericStore pods = null;
    for (ResourceStrategy s : dev.skiff.apiserver.registry.BuiltInResources.strategies(store, AdmissionPlugins.all(),
        lookup)) {
      if (!s.definition().group().isEmpty()) {
        continue;
      }
      GenericStore g = new GenericStore(store, s, lifecycle, InstantSource.system(), caches, Admission.NONE);
      switch (s.definition().plural()) {
        case "namespaces" -> namespaces = g;
        case "serviceaccounts" -> accounts = g;
        case "pods" -> pods = g;
        default -> {}
      }
    }
    Cluster c = new Cluster(namespaces, accounts, pods);
    c.namespaces().create("", object("{\"metadata\":{\"name\":\"ns\"}}"), false);
    c.accounts().create("ns", object("{\"metadata\":{\"name\":\"default\"}}"), false);
    c.accounts().create("ns", object("{\"metadata\":{\"name\":\"robot\"}}"), false);
    return c;
  }

  private Store store(String name) {
    SqliteStore s = SqliteStore.open(dir.resolve(name));
    open.add(s);
    return s;
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode create(GenericStore pods, String json) throws Exception {
    return ScopedValue.where(WriteOrigin.CURRENT, WRITER).call(() -> pods.create("ns", object(json), false));
  }

  @Test
  void theCreatorOwnsWhatItSetAndTheDefaultsButNotWhatAdmissionAdded() throws Exception {
    Store store = store("a.db");
    Cluster c = cluster(store, store);
    ObjectNode pod = create(c.pods(), """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x:1"}]}}""");

    // admission did its work on the object
    JsonNode spec = pod.path("spec");
    assertThat(spec.path("serviceAccountName").asString()).isEqualTo("default");
    assertThat(spec.path("serviceAccount").asString()).isEqualTo("default");
    assertThat(spec.path("priority").asInt(-1)).isZero();
    assertThat(spec.path("tolerations")).hasSize(2);
    assertThat(spec.path("volumes").get(0).path("name").asString()).startsWith("kube-api-access-");
    assertThat(pod.path("status").path("qosClass").asString()).isEqualTo("BestEffort");

    JsonNode entries = pod.path("metadata").path("managedFields");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).path("manager").asString()).isEqualTo("writer");
    JsonNode owned = entries.get(0).path("fieldsV1").path("f:spec");
    // what the writer sent and what defaulting added (upstream defaults before the field manager runs)
    assertThat(owned.path("f:containers").path("k:{\"name\":\"c\"}").has("f:image")).isTrue();
    assertThat(owned.path("f:containers").path("k:{\"name\":\"c\"}").has("f:imagePullPolicy")).isTrue();
    assertThat(owned.has("f:dnsPolicy")).isTrue();
    assertThat(owned.has("f:enableServiceLinks")).isTrue();
    assertThat(owned.has("f:terminationGracePeriodSeconds")).isTrue();
    // what admission added after it: nobody owns it
    assertThat(owned.has("f:volumes")).isFalse();
    assertThat(owned.path("f:containers").path("k:{\"name\":\"c\"}").has("f:volumeMounts")).isFalse();
    assertThat(owned.has("f:tolerations")).isFalse();
    assertThat(owned.has("f:priority")).isFalse();
    assertThat(owned.has("f:preemptionPolicy")).isFalse();
    assertThat(owned.has("f:serviceAccountName")).isFalse();
    assertThat(owned.has("f:serviceAccount")).isFalse();
    assertThat(entries.get(0).path("fieldsV1").has("f:status")).isFalse();
  }

  @Test
  void aServiceAccountTheWriterNamesIsOwnedUnderBothNames() throws Exception {
    Store store = store("a.db");
    Cluster c = cluster(store, store);
    ObjectNode named = create(c.pods(), """
        {"metadata":{"name":"p"},"spec":{"serviceAccountName":"robot","containers":[{"name":"c","image":"x:1"}]}}""");
    JsonNode owned = named.path("metadata").path("managedFields").get(0).path("fieldsV1").path("f:spec");
    assertThat(owned.has("f:serviceAccountName")).isTrue();
    assertThat(owned.has("f:serviceAccount")).isTrue();
    assertThat(named.path("spec").path("serviceAccount").asString()).isEqualTo("robot");

    // the deprecated field alone names the account, as upstream's conversion reads it
    ObjectNode deprecated = create(c.pods(), """
        {"metadata":{"name":"q"},"spec":{"serviceAccount":"robot","containers":[{"name":"c","image":"x:1"}]}}""");
    assertThat(deprecated.path("spec").path("serviceAccountName").asString()).isEqualTo("robot");
    assertThat(deprecated.path("spec").path("serviceAccount").asString()).isEqualTo("robot");
  }

  @Test
  void aBindingDecidedOnAStaleCachedCopyReadsTheStoreAgain() throws Exception {
    // the pods' watch cache follows another store, where pod "p" is already bound: every cached copy is
    // stale, as a lagging cache's would be
    Store stale = store("stale.db");
    Cluster old = cluster(stale, stale);
    create(old.pods(), "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:1\"}]}}");
    new PodBinding(old.pods(), InstantSource.system()).bind("ns", "p", object("{\"target\":{\"name\":\"node-old\"}}"));
    Store store = store("a.db");
    Cluster c = cluster(store, stale);
    awaitCached(c.pods(), "p", "node-old");
    create(c.pods(), "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:1\"}]}}");

    PodBinding binding = new PodBinding(c.pods(), InstantSource.system());
    binding.bind("ns", "p", object("{\"target\":{\"name\":\"node-1\"}}"));
    ObjectNode bound = c.pods().get("ns", "p");
    assertThat(bound.path("spec").path("nodeName").asString()).isEqualTo("node-1");
    assertThat(bound.path("status").path("conditions").get(0).path("type").asString()).isEqualTo("PodScheduled");

    // and a pod the store has bound is refused, whatever the cache says
    assertThatThrownBy(() -> binding.bind("ns", "p", object("{\"target\":{\"name\":\"node-2\"}}")))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.code()).isEqualTo(409))
        .hasMessageContaining("already assigned to node \"node-1\"");
    assertThat(c.pods().get("ns", "p").path("spec").path("nodeName").asString()).isEqualTo("node-1");
  }

  private static void awaitCached(GenericStore pods, String name, String node) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<KeyValue> kv = pods.watchCache().orElseThrow().get(pods.codec().key("ns", name));
      if (kv.isPresent() && pods.codec().decode(kv.get()).path("spec").path("nodeName").asString("").equals(node)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the cache never showed " + name + " on " + node);
  }
}
