package dev.skiff.controllers.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.endpointslice.EndpointSliceController;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
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
 * The endpoints and endpointslice controllers together against an in-process API server. No
 * kubelet runs: the test writes pods' IPs and readiness through pods/status as a kubelet would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EndpointControllersTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static final String NS = "ep";

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(EndpointsController.NAME, EndpointSliceController.NAME));
    cluster.createNamespace(NS);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static void pod(String name, String app, int httpPort, String hostname, String subdomain) {
    cluster.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("app", app)).endMetadata().withNewSpec().withNodeName("node-a").withHostname(hostname)
        .withSubdomain(subdomain).addNewContainer().withName("c").withImage("busybox").addNewPort().withName("http")
        .withContainerPort(httpPort).endPort().endContainer().endSpec().build()).create();
  }

  /** Plays the kubelet: the pod runs with {@code ip}, ready or not. */
  static void status(String name, String ip, boolean ready) {
    cluster.client.pods().inNamespace(NS).withName(name).editStatus(p -> {
      p.getStatus().setPhase("Running");
      p.getStatus().setPodIP(ip);
      p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready")
          .withStatus(ready ? "True" : "False").build()));
      return p;
    });
  }

  static Endpoints endpoints(String name) {
    return cluster.client.endpoints().inNamespace(NS).withName(name).get();
  }

  static List<EndpointSlice> slices(String service) {
    return cluster.client.discovery().v1().endpointSlices().inNamespace(NS)
        .withLabel("kubernetes.io/service-name", service).list().getItems();
  }

  static List<String> ips(List<EndpointAddress> addresses) {
    return addresses == null ? List.of() : addresses.stream().map(EndpointAddress::getIp).toList();
  }

  /**
   * address to [ready, serving, terminating] over every slice of {@code service}; an address in two
   * slices (a moment while the controller moves it) maps to an empty list, so an assertion retries.
   */
  static Map<String, List<Boolean>> sliceConditions(String service) {
    return slices(service).stream().flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.<Endpoint>empty()
            : s.getEndpoints().stream())
        .collect(java.util.stream.Collectors.toMap(e -> e.getAddresses().getFirst(),
            e -> List.of(e.getConditions().getReady(), e.getConditions().getServing(), e.getConditions().getTerminating()),
            (a, b) -> List.of()));
  }

  @Test
  void readyPodsAreAddressesOthersNotReadyAndNamedPortsResolvePerPod() {
    cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web")
        .withLabels(Map.of("tier", "front")).endMetadata().withNewSpec().withSelector(Map.of("app", "web"))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .addNewPort().withName("metrics").withPort(9090).withTargetPort(new IntOrString(9100)).endPort()
        .endSpec().build()).create();
    pod("web-1", "web", 8080, null, null);
    pod("web-2", "web", 8080, null, null);
    pod("web-3", "web", 8081, null, null);
    pod("other", "other", 8080, null, null);
    status("web-1", "10.42.0.11", true);
    status("web-2", "10.42.0.12", true);
    status("web-3", "10.42.0.13", false);
    status("other", "10.42.0.99", true);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Endpoints ep = endpoints("web");
      assertThat(ep).isNotNull();
      assertThat(ep.getMetadata().getLabels()).containsEntry("tier", "front");
      assertThat(ep.getSubsets()).hasSize(2);
      EndpointSubset on8080 = subsetWithHttpPort(ep, 8080);
      assertThat(ips(on8080.getAddresses())).containsExactly("10.42.0.11", "10.42.0.12");
      assertThat(on8080.getNotReadyAddresses()).isNullOrEmpty();
      assertThat(on8080.getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
          .containsExactlyInAnyOrder("http:8080", "metrics:9100");
      EndpointSubset on8081 = subsetWithHttpPort(ep, 8081);
      assertThat(on8081.getAddresses()).isNullOrEmpty();
      assertThat(ips(on8081.getNotReadyAddresses())).containsExactly("10.42.0.13");
    });
    EndpointAddress first = subsetWithHttpPort(endpoints("web"), 8080).getAddresses().getFirst();
    assertThat(first.getNodeName()).isEqualTo("node-a");
    assertThat(first.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(first.getTargetRef().getName()).isEqualTo("web-1");
    assertThat(first.getTargetRef().getUid())
        .isEqualTo(cluster.client.pods().inNamespace(NS).withName("web-1").get().getMetadata().getUid());

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(sliceConditions("web")).isEqualTo(Map.of(
          "10.42.0.11", List.of(true, true, false),
          "10.42.0.12", List.of(true, true, false),
          "10.42.0.13", List.of(false, false, false)));
      assertThat(slices("web")).hasSize(2).allSatisfy(s -> {
        assertThat(s.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by",
            "endpointslice-controller.k8s.io").containsEntry("tier", "front");
        assertThat(s.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Service/web"));
        assertThat(s.getAddressType()).isEqualTo("IPv4");
      });
    });
    assertThat(cluster.kubectl.run("-n", NS, "get", "endpoints", "web").assertOk().stdout())
        .contains("10.42.0.11:8080", "10.42.0.12:8080");

    // web-1 turns unready, web-2 goes away, web-3 turns ready
    status("web-1", "10.42.0.11", false);
    cluster.client.pods().inNamespace(NS).withName("web-2").withGracePeriod(0).delete();
    status("web-3", "10.42.0.13", true);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Endpoints ep = endpoints("web");
      assertThat(ips(subsetWithHttpPort(ep, 8080).getAddresses())).isEmpty();
      assertThat(ips(subsetWithHttpPort(ep, 8080).getNotReadyAddresses())).containsExactly("10.42.0.11");
      assertThat(ips(subsetWithHttpPort(ep, 8081).getAddresses())).containsExactly("10.42.0.13");
      assertThat(sliceConditions("web")).isEqualTo(Map.of(
          "10.42.0.11", List.of(false, false, false),
          "10.42.0.13", List.of(true, true, false)));
    });

    // a terminating pod leaves Endpoints but stays in its slice as terminating
    cluster.client.pods().inNamespace(NS).withName("web-3").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(endpoints("web").getSubsets()).hasSize(1);
      assertThat(sliceConditions("web")).containsEntry("10.42.0.13", List.of(false, true, true));
    });
  }

  static EndpointSubset subsetWithHttpPort(Endpoints ep, int port) {
    return ep.getSubsets().stream().filter(s -> s.getPorts().stream()
        .anyMatch(p -> "http".equals(p.getName()) && p.getPort() == port)).findFirst().orElseThrow(AssertionError::new);
  }

  @Test
  void headlessServicePublishesNotReadyPodsWithHostnames() {
    cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("db")
        .endMetadata().withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
        .withSelector(Map.of("app", "db")).endSpec().build()).create();
    pod("db-0", "db", 5432, "db-0", "db");
    status("db-0", "10.42.0.21", false);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Endpoints ep = endpoints("db");
      assertThat(ep).isNotNull();
      assertThat(ep.getMetadata().getLabels()).containsKey("service.kubernetes.io/headless");
      assertThat(ep.getSubsets()).singleElement().satisfies(s -> {
        assertThat(s.getPorts()).isNullOrEmpty();
        assertThat(s.getAddresses()).singleElement().satisfies(a -> {
          assertThat(a.getIp()).isEqualTo("10.42.0.21");
          assertThat(a.getHostname()).isEqualTo("db-0");
        });
      });
      assertThat(slices("db")).singleElement().satisfies(s -> {
        assertThat(s.getEndpoints()).singleElement().satisfies(e -> {
          assertThat(e.getHostname()).isEqualTo("db-0");
          assertThat(e.getConditions().getReady()).isTrue();
          assertThat(e.getConditions().getServing()).isFalse();
        });
      });
    });
  }

  @Test
  void servicesWithoutSelectorsAreLeftAloneAndEmptyServicesKeepOneEmptySlice() {
    cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("external")
        .endMetadata().withNewSpec().addNewPort().withPort(443).endPort().endSpec().build()).create();
    Endpoints manual = cluster.client.endpoints().inNamespace(NS).resource(new EndpointsBuilder().withNewMetadata()
        .withName("external").endMetadata().addNewSubset().addNewAddress().withIp("192.0.2.10").endAddress()
        .addNewPort().withPort(443).endPort().endSubset().build()).create();
    cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("nobody")
        .endMetadata().withNewSpec().withSelector(Map.of("app", "nobody")).addNewPort().withPort(80).endPort()
        .endSpec().build()).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(slices("nobody")).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isNullOrEmpty());
      assertThat(endpoints("nobody")).isNotNull();
    });
    // by now the controllers have seen "external" too and must not have touched it
    assertThat(endpoints("external").getMetadata().getResourceVersion())
        .isEqualTo(manual.getMetadata().getResourceVersion());
    assertThat(slices("external")).isEmpty();
    // deleting a Service deletes what the controllers made for it
    cluster.client.services().inNamespace(NS).withName("nobody").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(endpoints("nobody")).isNull();
      assertThat(slices("nobody")).isEmpty();
    });
  }

  @Test
  void theApiServersOwnKubernetesEndpointsAreLeftAlone() {
    var defaultEndpoints = cluster.client.endpoints().inNamespace("default").withName("kubernetes");
    var kubernetesSlices = cluster.client.discovery().v1().endpointSlices().inNamespace("default")
        .withLabel("kubernetes.io/service-name", "kubernetes");
    Endpoints before = defaultEndpoints.get();
    assertThat(before.getSubsets().getFirst().getAddresses()).hasSize(1);
    String sliceRv = kubernetesSlices.list().getItems().getFirst().getMetadata().getResourceVersion();
    // an event for the Service (a label added), then a Service the controllers must serve after it
    cluster.client.services().inNamespace("default").withName("kubernetes")
        .edit(s -> new ServiceBuilder(s).editMetadata().addToLabels("touched", "yes").endMetadata().build());
    cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("after")
        .endMetadata().withNewSpec().withSelector(Map.of("app", "after")).addNewPort().withPort(80).endPort().endSpec()
        .build()).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> endpoints("after") != null && !slices("after").isEmpty());
    assertThat(defaultEndpoints.get().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(kubernetesSlices.list().getItems()).singleElement()
        .satisfies(s -> assertThat(s.getMetadata().getResourceVersion()).isEqualTo(sliceRv));
  }

  @Test
  void aDuplicateSliceOfTheControllerIsRemoved() {
    cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("dup").endMetadata()
        .withNewSpec().withSelector(Map.of("app", "dup")).addNewPort().withName("http").withPort(80)
        .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create();
    pod("dup-1", "dup", 8080, null, null);
    status("dup-1", "10.42.0.31", true);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(slices("dup")).singleElement()
        .satisfies(s -> assertThat(s.getEndpoints()).hasSize(1)));
    // what a sync on a lagging cache leaves behind: a second slice of the same shape
    EndpointSlice original = slices("dup").getFirst();
    cluster.client.discovery().v1().endpointSlices().inNamespace(NS).resource(
        new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder(original).editMetadata().withName(null)
            .withGenerateName("dup-").withResourceVersion(null).withUid(null).withCreationTimestamp(null)
            .withManagedFields(List.of()).endMetadata().build()).create();
    // its add alone (no other event for the Service) brings the controller back to one slice
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(slices("dup")).singleElement()
        .satisfies(s -> assertThat(s.getEndpoints()).hasSize(1)));
  }
}
