package dev.skiff.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The collector's metadata-only list and watch against an in-process API server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetadataInformerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "meta";
  static final ServedResource CONFIG_MAPS = new ServedResource("", "v1", "configmaps", "ConfigMap", true);

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

  record Seen(String type, PartialObjectMetadata object) {}

  @Test
  void listsAndWatchesMetadataOnly() throws Exception {
    cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("before")
        .endMetadata().withData(Map.of("big", "x".repeat(10_000))).build()).create();
    List<Seen> seen = new CopyOnWriteArrayList<>();
    ResourceEventHandler<PartialObjectMetadata> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(PartialObjectMetadata obj) {
        seen.add(new Seen("add", obj));
      }

      @Override
      public void onUpdate(PartialObjectMetadata old, PartialObjectMetadata obj) {
        seen.add(new Seen("update", obj));
      }

      @Override
      public void onDelete(PartialObjectMetadata obj, boolean unknown) {
        seen.add(new Seen("delete", obj));
      }
    };
    try (MetadataInformer informer = new MetadataInformer(cluster.client, CONFIG_MAPS, handler)) {
      informer.start().get(30, TimeUnit.SECONDS);
      assertThat(seen).anySatisfy(s -> {
        assertThat(s.type()).isEqualTo("add");
        assertThat(s.object().getMetadata().getName()).isEqualTo("before");
        assertThat(s.object().getKind()).isEqualTo("ConfigMap");
        assertThat(s.object().getApiVersion()).isEqualTo("v1");
      });

      var owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("before")
          .withUid("owner-uid").build();
      String uid = cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("after").withOwnerReferences(owner).endMetadata().withData(Map.of("big", "y".repeat(10_000)))
          .build()).create().getMetadata().getUid();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen).anySatisfy(s -> {
        assertThat(s.type()).isEqualTo("add");
        assertThat(s.object().getMetadata().getUid()).isEqualTo(uid);
        assertThat(s.object().getMetadata().getOwnerReferences()).singleElement()
            .satisfies(r -> assertThat(r.getUid()).isEqualTo("owner-uid"));
      }));

      cluster.client.configMaps().inNamespace(NS).withName("after").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
          .withFinalizers("example.com/hold").endMetadata().build());
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen).anySatisfy(s -> {
        assertThat(s.type()).isEqualTo("update");
        assertThat(s.object().getMetadata().getFinalizers()).containsExactly("example.com/hold");
      }));

      cluster.client.configMaps().inNamespace(NS).withName("before").delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen).anySatisfy(s -> {
        assertThat(s.type()).isEqualTo("delete");
        assertThat(s.object().getMetadata().getName()).isEqualTo("before");
      }));
    }
  }
}
