package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * events.k8s.io/v1 Events over the core/v1 Events' storage: upstream's conformance scenario ("Events
 * API should ensure that an event can be fetched, patched, deleted, and listed") through fabric8,
 * and an event written through either API read through the other, and by the real kubectl.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventsV1Test {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static Kubectl kubectl;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null));
    server.start();
    kubectl = new Kubectl(server.kubeconfig());
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  static Event event(String name) {
    return new EventBuilder().withNewMetadata().withName(name).withNamespace("default")
        .withLabels(Map.of("testevent-set", "true")).endMetadata()
        .withEventTime(new MicroTime("2026-11-27T09:00:00.000000Z")).withReportingController("test-controller")
        .withReportingInstance("test-node").withAction("Do").withReason("Test").withType("Normal")
        .withNote("This is " + name).withNewRegarding().withKind("Pod").withName("web").withNamespace("default")
        .endRegarding().build();
  }

  @Test
  void eventCanBeFetchedPatchedListedAndDeletedThroughBothApis() {
    var v1 = client.events().v1().events().inNamespace("default");
    v1.resource(event("ev-one")).create();
    Event fetched = v1.withName("ev-one").get();
    assertThat(fetched.getApiVersion()).isEqualTo("events.k8s.io/v1");
    assertThat(fetched.getNote()).isEqualTo("This is ev-one");
    assertThat(fetched.getRegarding().getName()).isEqualTo("web");
    assertThat(fetched.getReportingController()).isEqualTo("test-controller");

    // the same object through core/v1, fields under their core names
    io.fabric8.kubernetes.api.model.Event core = client.v1().events().inNamespace("default").withName("ev-one").get();
    assertThat(core.getMessage()).isEqualTo("This is ev-one");
    assertThat(core.getInvolvedObject().getName()).isEqualTo("web");
    assertThat(core.getReportingComponent()).isEqualTo("test-controller");
    assertThat(core.getMetadata().getResourceVersion()).isEqualTo(fetched.getMetadata().getResourceVersion());

    Event patched = v1.withName("ev-one").edit(e -> {
      e.setNote("This is a patched event");
      return e;
    });
    assertThat(patched.getNote()).isEqualTo("This is a patched event");
    assertThat(client.v1().events().inNamespace("default").withName("ev-one").get().getMessage())
        .isEqualTo("This is a patched event");

    v1.resource(event("ev-two")).create();
    assertThat(v1.withLabel("testevent-set", "true").list().getItems()).extracting(e -> e.getMetadata().getName())
        .containsExactlyInAnyOrder("ev-one", "ev-two");
    assertThat(client.events().v1().events().inAnyNamespace().withField("regarding.name", "web").list().getItems())
        .hasSize(2);
    assertThat(kubectl.run("get", "events.v1.events.k8s.io", "-n", "default", "-o", "name").assertOk().stdout())
        .contains("event.events.k8s.io/ev-one").contains("event.events.k8s.io/ev-two");

    v1.withName("ev-one").delete();
    v1.withLabel("testevent-set", "true").delete();
    assertThat(v1.withLabel("testevent-set", "true").list().getItems()).isEmpty();
    assertThat(client.v1().events().inNamespace("default").withName("ev-two").get()).isNull();
  }

  @Test
  void coreEventsReadThroughEventsV1AndV1CreatesAreValidated() {
    client.v1().events().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName("core-one").endMetadata().withReason("Pulled").withMessage("pulled it")
        .withType("Normal").withCount(3).withNewSource().withComponent("kubelet").endSource()
        .withNewInvolvedObject().withKind("Pod").withName("db").withNamespace("default").endInvolvedObject().build())
        .create();
    Event seen = client.events().v1().events().inNamespace("default").withName("core-one").get();
    assertThat(seen.getNote()).isEqualTo("pulled it");
    assertThat(seen.getRegarding().getName()).isEqualTo("db");
    assertThat(seen.getDeprecatedCount()).isEqualTo(3);
    assertThat(seen.getDeprecatedSource().getComponent()).isEqualTo("kubelet");

    Event incomplete = event("bad");
    incomplete.setReportingController(null);
    incomplete.setEventTime(null);
    assertThatThrownBy(() -> client.events().v1().events().inNamespace("default").resource(incomplete).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField())
              .contains("eventTime", "reportingController");
        });
  }
}
