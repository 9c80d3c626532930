package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The admission remembers active namespaces, and forgets them when they are written, on a real SQLite store. */
class NamespaceLifecycleTest {
  @TempDir Path dir;
  Store store;
  GenericStore namespaces;
  GenericStore configMaps;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dir.resolve("state.db"));
    List<ResourceStrategy> strategies = BuiltInResources.strategies(store);
    NamespaceLifecycle lifecycle = new NamespaceLifecycle(store);
    namespaces = new GenericStore(store, strategy(strategies, "namespaces"), lifecycle, InstantSource.system());
    configMaps = new GenericStore(store, strategy(strategies, "configmaps"), lifecycle, InstantSource.system());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ResourceStrategy strategy(List<ResourceStrategy> all, String plural) {
    return all.stream().filter(s -> s.definition().plural().equals(plural)).findFirst().orElseThrow();
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private void createConfigMap(String ns, String name) {
    configMaps.create(ns, object("{\"metadata\":{\"name\":\"" + name + "\"}}"), false);
  }

  @Test
  void aRememberedNamespaceThatTurnsTerminatingRefusesCreates() {
    namespaces.create("", object("{\"metadata\":{\"name\":\"a\"}}"), false);
    createConfigMap("a", "one");
    createConfigMap("a", "two"); // from memory
    new NamespaceDeletion(InstantSource.system()).delete(namespaces, "a", "", "");
    assertThat(namespaces.get("", "a").path("status").path("phase").asString()).isEqualTo("Terminating");
    assertThatThrownBy(() -> createConfigMap("a", "three"))
        .isInstanceOfSatisfying(StatusError.class, e -> {
          assertThat(e.code()).isEqualTo(403);
          // upstream's cause, which controllers look for to stop retrying in a dying namespace
          assertThat(e.toStatus().path("details").path("causes").get(0).path("reason").asString())
              .isEqualTo("NamespaceTerminating");
        });
  }

  @Test
  void aRememberedNamespaceThatIsDeletedRefusesCreates() {
    namespaces.create("", object("{\"metadata\":{\"name\":\"b\"}}"), false);
    createConfigMap("b", "one");
    namespaces.delete("", "b", "", "", false);
    assertThatThrownBy(() -> createConfigMap("b", "two"))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void aMissingNamespaceIsNotRememberedAndIsSeenOnceCreated() {
    assertThatThrownBy(() -> createConfigMap("c", "one"))
        .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.code()).isEqualTo(404));
    namespaces.create("", object("{\"metadata\":{\"name\":\"c\"}}"), false);
    createConfigMap("c", "one");
    assertThat(configMaps.get("c", "one").path("metadata").path("name").asString()).isEqualTo("one");
  }
}
