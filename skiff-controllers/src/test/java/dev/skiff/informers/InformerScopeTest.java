package dev.skiff.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One informer per kind shared by scopes (leadership terms, components) against an in-process
 * API server: a scope's handlers and indexers go when it closes, the cache stays, and a later
 * scope is told of the cached objects as adds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InformerScopeTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "scopes";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of());
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Records the names it is told of as added. */
  static final class Names implements ResourceEventHandler<ConfigMap> {
    final Set<String> added = ConcurrentHashMap.newKeySet();

    @Override
    public void onAdd(ConfigMap obj) {
      added.add(obj.getMetadata().getName());
    }

    @Override
    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
    }

    @Override
    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
    }
  }

  static void create(String name) {
    cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .endMetadata().withData(Map.of("k", name)).build()).create();
  }

  @Test
  void scopesShareOneCacheAndCloseTakesOnlyTheirHandlersAndIndexers() throws Exception {
    try (SharedInformerFactory factory = new SharedInformerFactory(cluster.client)) {
      InformerScope first = factory.scope();
      SharedIndexInformer<ConfigMap> firstView = first.informer(ConfigMap.class);
      Names firstNames = new Names();
      firstView.addEventHandler(firstNames);
      firstView.addIndexers(Map.of("byValue", cm -> List.of(cm.getData().get("k"))));
      first.awaitSynced(Duration.ofSeconds(30));
      create("a");
      await().atMost(Duration.ofSeconds(30)).until(() -> firstNames.added.contains("a"));
      assertThat(firstView.getIndexer().byIndex("byValue", "a")).hasSize(1);
      // the server records managedFields; the shared cache drops them (TrimmedItemStore)
      assertThat(cluster.client.configMaps().inNamespace(NS).withName("a").get().getMetadata().getManagedFields())
          .isNotEmpty();
      assertThat(firstView.getStore().getByKey(NS + "/a").getMetadata().getManagedFields()).isNullOrEmpty();

      first.close();
      InformerScope second = factory.scope();
      SharedIndexInformer<ConfigMap> secondView = second.informer(ConfigMap.class);
      Names secondNames = new Names();
      secondView.addEventHandler(secondNames);
      // the first term's indexer went with it: the same name can be added again
      secondView.addIndexers(Map.of("byValue", cm -> List.of(cm.getData().get("k"))));
      create("b");
      // the late handler is told of what was cached before it came, then of new objects
      await().atMost(Duration.ofSeconds(30)).until(() -> secondNames.added.containsAll(Set.of("a", "b")));
      assertThat(firstNames.added).containsExactly("a");
      assertThat(factory.size()).isEqualTo(1);
      assertThatThrownBy(() -> first.informer(ConfigMap.class)).isInstanceOf(IllegalStateException.class);
      // a view cannot stop the shared informer for everyone
      secondView.close();
      assertThat(factory.scope().informer(ConfigMap.class).isRunning()).isTrue();
      second.close();
    }
  }
}
