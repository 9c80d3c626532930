package dev.skiff.controllers.endpointslicemirroring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.endpointslice.EndpointSliceController;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirroring controller against an in-process API server, as upstream's conformance test
 * "EndpointSliceMirroring should mirror a custom Endpoints resource through create update and
 * delete", plus the cases where nothing may be mirrored.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EndpointSliceMirroringControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "mirror";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(EndpointSliceMirroringController.NAME, EndpointSliceController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static void service(String name, Map<String, String> selector) {
    cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewSpec().withSelector(selector).addNewPort().withName("example").withPort(80)
        .withProtocol("TCP").endPort().endSpec().build()).create();
  }

  static Endpoints endpoints(String name, Map<String, String> labels, String... ips) {
    var subset = new EndpointsBuilder().withNewMetadata().withName(name).withLabels(labels)
        .withAnnotations(Map.of("team", "blue", "kubectl.kubernetes.io/last-applied-configuration", "{}"))
        .endMetadata().addNewSubset().addNewPort().withPort(80).endPort();
    for (String ip : ips) {
      subset.addNewAddress().withIp(ip).endAddress();
    }
    subset.addNewNotReadyAddress().withIp("10.9.9.9").endNotReadyAddress();
    return subset.endSubset().build();
  }

  static List<EndpointSlice> slices(String service) {
    return cluster.client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", service).list().getItems();
  }

  static List<String> addresses(EndpointSlice s) {
    return s.getEndpoints().stream().map(e -> e.getAddresses().getFirst() + "/" + e.getConditions().getReady()).toList();
  }

  @Test
  void mirrorsCreateUpdateAndDeleteOfCustomEndpoints() {
    service("custom", null);
    cluster.client.endpoints().inNamespace(NS).resource(endpoints("custom", Map.of("tier", "db"), "10.1.2.3")).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<EndpointSlice> s = slices("custom");
      assertThat(s).hasSize(1);
      assertThat(s.getFirst().getAddressType()).isEqualTo("IPv4");
      assertThat(s.getFirst().getPorts()).singleElement().satisfies(p -> {
        assertThat(p.getPort()).isEqualTo(80);
        assertThat(p.getProtocol()).isEqualTo("TCP");
      });
      assertThat(addresses(s.getFirst())).containsExactly("10.1.2.3/true", "10.9.9.9/false");
    });
    EndpointSlice first = slices("custom").getFirst();
    assertThat(first.getMetadata().getName()).startsWith("custom-");
    assertThat(first.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
        "endpointslicemirroring-controller.k8s.io").containsEntry("tier", "db");
    assertThat(first.getMetadata().getAnnotations()).containsEntry("team", "blue")
        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(first.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("Endpoints");
      assertThat(r.getName()).isEqualTo("custom");
      assertThat(r.getController()).isTrue();
    });

    cluster.client.endpoints().inNamespace(NS).withName("custom").edit(e -> {
      e.getSubsets().getFirst().getAddresses().getFirst().setIp("10.2.3.4");
      e.getMetadata().getLabels().put("tier", "cache");
      return e;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<EndpointSlice> s = slices("custom");
      assertThat(s).hasSize(1);
      assertThat(addresses(s.getFirst())).containsExactly("10.2.3.4/true", "10.9.9.9/false");
      assertThat(s.getFirst().getMetadata().getLabels()).containsEntry("tier", "cache");
    });
    // the same slice was updated, not replaced
    assertThat(slices("custom").getFirst().getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());

    cluster.client.endpoints().inNamespace(NS).withName("custom").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(slices("custom")).isEmpty());
  }

  @Test
  void leavesEndpointsOfSelectorServicesAndSkipMirrorLabelAlone() throws Exception {
    service("selected", Map.of("app", "web"));
    cluster.client.endpoints().inNamespace(NS).resource(endpoints("selected", Map.of(), "10.3.3.3")).create();
    service("skipped", null);
    cluster.client.endpoints().inNamespace(NS)
        .resource(endpoints("skipped", Map.of("endpointslice.kubernetes.io/skip-mirror", "true"), "10.4.4.4")).create();
    // no Service at all
    cluster.client.endpoints().inNamespace(NS).resource(endpoints("orphan", Map.of(), "10.5.5.5")).create();
    // a mirrored one created after them: once it shows, the others have been seen too
    service("witness", null);
    cluster.client.endpoints().inNamespace(NS).resource(endpoints("witness", Map.of(), "10.6.6.6")).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(slices("witness")).hasSize(1));
    Thread.sleep(1000);

    assertThat(slices("skipped")).isEmpty();
    assertThat(slices("orphan")).isEmpty();
    // the selector Service's slices are the endpointslice controller's, with no mirrored address
    assertThat(slices("selected")).allSatisfy(s -> {
      assertThat(s.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
          "endpointslice-controller.k8s.io");
      assertThat(s.getEndpoints()).extracting(Endpoint::getAddresses).doesNotContain(List.of("10.3.3.3"));
    });

    // the Service gains a selector: the mirrored slices go away
    cluster.client.services().inNamespace(NS).withName("witness").edit(s -> {
      s.getSpec().setSelector(Map.of("app", "x"));
      return s;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(slices("witness"))
        .noneMatch(s -> "endpointslicemirroring-controller.k8s.io"
            .equals(s.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by"))));
  }
}
