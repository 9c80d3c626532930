package dev.skiff.apiserver.registry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.json.Json;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's defaults of pod specs: volumes, probes, handlers, field selectors, host ports, requests. */
class PodDefaultsTest {
  @TempDir Path dir;

  @Test
  void volumesProbesAndSelectorsGetUpstreamsDefaults() {
    ObjectNode spec = (ObjectNode) Json.parse("""
        {"containers":[{"name":"c","image":"busybox:1.35",
          "livenessProbe":{"httpGet":{"port":8080}},
          "readinessProbe":{"grpc":{"port":9000},"periodSeconds":5},
          "startupProbe":{"exec":{"command":["true"]},"failureThreshold":30},
          "lifecycle":{"preStop":{"httpGet":{"port":80,"path":"/quit"}}},
          "env":[{"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},{"name":"V","value":"x"}]}],
         "volumes":[{"name":"empty"},{"name":"cm","configMap":{"name":"c"}},{"name":"s","secret":{"secretName":"s","defaultMode":256}},
          {"name":"h","hostPath":{"path":"/tmp"}},
          {"name":"d","downwardAPI":{"items":[{"path":"l","fieldRef":{"fieldPath":"metadata.labels"}}]}},
          {"name":"p","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}]}
        """.getBytes());
    PodSpecDefaults.apply(spec);

    ObjectNode c = (ObjectNode) spec.path("containers").get(0);
    assertThat(c.path("livenessProbe").toString()).isEqualTo(
        "{\"httpGet\":{\"port\":8080,\"path\":\"/\",\"scheme\":\"HTTP\"},\"timeoutSeconds\":1,\"periodSeconds\":10,"
            + "\"successThreshold\":1,\"failureThreshold\":3}");
    assertThat(c.path("readinessProbe").path("periodSeconds").asInt()).isEqualTo(5);
    assertThat(c.path("readinessProbe").path("grpc").path("service").asString()).isEmpty();
    assertThat(c.path("readinessProbe").path("grpc").has("service")).isTrue();
    assertThat(c.path("startupProbe").path("failureThreshold").asInt()).isEqualTo(30);
    assertThat(c.path("lifecycle").path("preStop").path("httpGet").path("path").asString()).isEqualTo("/quit");
    assertThat(c.path("lifecycle").path("preStop").path("httpGet").path("scheme").asString()).isEqualTo("HTTP");
    assertThat(c.path("env").get(0).path("valueFrom").path("fieldRef").path("apiVersion").asString()).isEqualTo("v1");

    var volumes = spec.path("volumes");
    assertThat(volumes.get(0).has("emptyDir")).isTrue();
    assertThat(volumes.get(1).path("configMap").path("defaultMode").asInt()).isEqualTo(420);
    assertThat(volumes.get(2).path("secret").path("defaultMode").asInt()).isEqualTo(256);
    assertThat(volumes.get(3).path("hostPath").path("type").isString()).isTrue();
    assertThat(volumes.get(4).path("downwardAPI").path("defaultMode").asInt()).isEqualTo(420);
    assertThat(volumes.get(4).path("downwardAPI").path("items").get(0).path("fieldRef").path("apiVersion").asString())
        .isEqualTo("v1");
    assertThat(volumes.get(5).path("projected").path("defaultMode").asInt()).isEqualTo(420);
    assertThat(volumes.get(5).path("projected").path("sources").get(0).path("serviceAccountToken")
        .path("expirationSeconds").asInt()).isEqualTo(3600);
  }

  @Test
  void onTheHostNetworkContainerPortsAreHostPorts() {
    ObjectNode spec = (ObjectNode) Json.parse("""
        {"hostNetwork":true,"containers":[{"name":"c","image":"x:1","ports":[{"containerPort":8080},{"containerPort":53,"hostPort":5353}]}]}
        """.getBytes());
    PodSpecDefaults.apply(spec);
    var ports = spec.path("containers").get(0).path("ports");
    assertThat(ports.get(0).path("hostPort").asInt()).isEqualTo(8080);
    assertThat(ports.get(1).path("hostPort").asInt()).isEqualTo(5353);
  }

  @Test
  void aPodWithLimitsOnlyRequestsItsLimits() throws Exception {
    try (Store store = SqliteStore.open(dir.resolve("state.db"))) {
      ObjectNode pod = (ObjectNode) Json.parse("""
          {"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"x:1",
            "resources":{"limits":{"cpu":"500m","memory":"64Mi"},"requests":{"cpu":"100m"}}}]}}
          """.getBytes());
      PodStrategy strategy = new PodStrategy(store, false);
      strategy.prepareForCreate(pod);
      strategy.admitCreate(pod);
      assertThat(pod.path("spec").path("containers").get(0).path("resources").path("requests").toString())
          .isEqualTo("{\"cpu\":\"100m\",\"memory\":\"64Mi\"}");
      assertThat(pod.path("status").path("qosClass").asString()).isEqualTo("Burstable");
    }
  }
}
