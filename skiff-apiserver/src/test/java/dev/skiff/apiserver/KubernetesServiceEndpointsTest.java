package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code default/kubernetes} Endpoints and EndpointSlice the server keeps at the advertised
 * address and its port, across restarts on one SQLite store, read with the real kubectl.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KubernetesServiceEndpointsTest {
  @TempDir Path dir;

  @Test
  void publishedAtEveryStartAndRewrittenOnlyWhenTheyChange() throws Exception {
    try (Store store = SqliteStore.open(dir.resolve("state.db"))) {
      ApiServerConfig config = new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null);
      String primary = AdvertiseAddress.resolve(null, "127.0.0.1");
      try (ApiServer server = new ApiServer(config)) {
        server.start();
        Kubectl kubectl = new Kubectl(server.kubeconfig());
        String at = primary + ":" + server.port();
        assertThat(kubectl.run("get", "endpoints", "kubernetes").assertOk().stdout())
            .containsPattern("kubernetes\\s+" + java.util.regex.Pattern.quote(at));
        assertThat(kubectl.run("get", "endpoints", "kubernetes", "-o",
            "jsonpath={.metadata.labels.endpointslice\\.kubernetes\\.io/skip-mirror} {.subsets[0].ports[0].name} "
                + "{.subsets[0].ports[0].protocol}").assertOk().stdout()).isEqualTo("true https TCP");
        assertThat(kubectl.run("get", "endpointslices", "-l", "kubernetes.io/service-name=kubernetes", "-o",
            "jsonpath={.items[*].metadata.name} {.items[0].addressType} {.items[0].endpoints[0].addresses[0]} "
                + "{.items[0].endpoints[0].conditions.ready} {.items[0].ports[0].port}").assertOk().stdout())
            .isEqualTo("kubernetes IPv4 " + primary + " true " + server.port());
        // the Service stays selector-less, so the endpoint controllers never take these objects over
        assertThat(kubectl.run("get", "service", "kubernetes", "-o", "jsonpath={.spec.selector}").assertOk().stdout()).isEmpty();
        assertThat(kubectl.run("get", "service", "kubernetes", "-o", "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort}")
            .assertOk().stdout()).isEqualTo("443 " + server.port());
      }
      ApiServerConfig moved = config.withAdvertiseAddress("192.0.2.10");
      String rv;
      int port;
      try (ApiServer server = new ApiServer(moved)) {
        server.start();
        port = server.port();
        Kubectl kubectl = new Kubectl(server.kubeconfig());
        assertThat(kubectl.run("get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}")
            .assertOk().stdout()).isEqualTo("192.0.2.10:" + port);
        assertThat(kubectl.run("get", "endpointslice", "kubernetes", "-o", "jsonpath={.endpoints[0].addresses[0]}:{.ports[0].port}")
            .assertOk().stdout()).isEqualTo("192.0.2.10:" + port);
        rv = kubectl.run("get", "endpoints", "kubernetes", "-o", "jsonpath={.metadata.resourceVersion}").assertOk().stdout();
      }
      // the same address and port again: nothing is written
      try (ApiServer server = new ApiServer(moved.withPort(port))) {
        server.start();
        assertThat(new Kubectl(server.kubeconfig()).run("get", "endpoints", "kubernetes", "-o",
            "jsonpath={.metadata.resourceVersion}").assertOk().stdout()).isEqualTo(rv);
      }
    }
  }
}
