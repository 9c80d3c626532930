package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Bytes;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeRequest;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchRequest;
import dev.skiff.storage.WriteResult;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A generated name that is already taken is generated again (upstream's RetryGenerateName), on a
 * real SQLite store whose creates are made to collide a given number of times.
 */
class GenerateNameRetryTest {
  @TempDir Path dir;

  /** The real store, except that the first {@code collisions} creates answer AlreadyExists. */
  static final class CollidingStore implements Store {
    final Store real;
    int collisions;
    final List<String> triedKeys = new ArrayList<>();

    CollidingStore(Store real) {
      this.real = real;
    }

    @Override
    public RangeResult range(RangeRequest request) {
      return real.range(request);
    }

    @Override
    public WriteResult create(Bytes key, Bytes value) {
      triedKeys.add(key.toString());
      if (collisions > 0) {
        collisions--;
        return new WriteResult.AlreadyExists(real.currentRevision(),
            new KeyValue(key, value, real.currentRevision(), real.currentRevision(), 1));
      }
      return real.create(key, value);
    }

    @Override
    public WriteResult update(Bytes key, Bytes value, long expectedModRevision) {
      return real.update(key, value, expectedModRevision);
    }

    @Override
    public WriteResult delete(Bytes key, long expectedModRevision) {
      return real.delete(key, expectedModRevision);
    }

    @Override
    public Watch watch(WatchRequest request) {
      return real.watch(request);
    }

    @Override
    public long currentRevision() {
      return real.currentRevision();
    }

    @Override
    public void compact(long revision) {
      real.compact(revision);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  /** ConfigMaps over {@code store}, in a namespace "default" created before any collision is set up. */
  GenericStore configMaps(Store store) {
    List<ResourceStrategy> strategies = BuiltInResources.strategies(store);
    NamespaceLifecycle lifecycle = new NamespaceLifecycle(store);
    new GenericStore(store, strategy(strategies, "namespaces"), lifecycle, InstantSource.system())
        .create("", object("{\"metadata\":{\"name\":\"default\"}}"), false);
    return new GenericStore(store, strategy(strategies, "configmaps"), lifecycle, InstantSource.system());
  }

  static ResourceStrategy strategy(List<ResourceStrategy> all, String plural) {
    return all.stream().filter(s -> s.definition().plural().equals(plural)).findFirst().orElseThrow();
  }

  static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTakenGeneratedNameIsGeneratedAgain() {
    try (CollidingStore store = new CollidingStore(SqliteStore.open(dir.resolve("a.db")))) {
      GenericStore cms = configMaps(store);
      store.triedKeys.clear();
      store.collisions = 3;
      ObjectNode created = cms.create("default", object("{\"metadata\":{\"generateName\":\"web-\"}}"), false);
      String name = created.path("metadata").path("name").asString();
      assertThat(name).startsWith("web-").hasSize(9);
      assertThat(store.triedKeys).hasSize(4).doesNotHaveDuplicates();
      assertThat(store.triedKeys.getLast()).endsWith("/" + name);
    }
  }

  @Test
  void givesUpAfterUpstreamsAttemptsAndNeverRetriesAChosenName() {
    try (CollidingStore store = new CollidingStore(SqliteStore.open(dir.resolve("b.db")))) {
      GenericStore cms = configMaps(store);
      store.triedKeys.clear();
      store.collisions = 100;
      assertThatThrownBy(() -> cms.create("default", object("{\"metadata\":{\"generateName\":\"web-\"}}"), false))
          .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.code()).isEqualTo(409));
      assertThat(store.triedKeys).hasSize(8);
      store.triedKeys.clear();
      assertThatThrownBy(() -> cms.create("default", object("{\"metadata\":{\"name\":\"fixed\"}}"), false))
          .isInstanceOfSatisfying(StatusError.class, e -> assertThat(e.code()).isEqualTo(409));
      assertThat(store.triedKeys).hasSize(1);
    }
  }
}
