package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Custom resources outlive a server restart; a deleted namespace then refuses new ones (its content is the namespace controller's). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CustomResourceRestartTest {
  @TempDir Path dir;

  @Test
  void servedAgainAfterRestartAndDeletedWithTheirNamespace() throws Exception {
    Path manifest = dir.resolve("crd.yaml");
    Files.writeString(manifest, CustomResourceKubectlTest.CRD);
    Path widget = dir.resolve("widget.yaml");
    Files.writeString(widget, """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: survivor, namespace: team}
        spec: {color: blue}
        """);
    try (Store store = SqliteStore.open(dir.resolve("state.db"))) {
      try (ApiServer server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null))) {
        server.start();
        Kubectl kubectl = new Kubectl(server.kubeconfig());
        kubectl.run("apply", "-f", manifest.toString()).assertOk();
        kubectl.run(Duration.ofSeconds(40), "wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=30s").assertOk();
        kubectl.run("create", "namespace", "team").assertOk();
        kubectl.run("apply", "-f", widget.toString()).assertOk();
      }
      try (ApiServer server = new ApiServer(new ApiServerConfig(dir.resolve("data"), "127.0.0.1", 0, store, null, null))) {
        server.start();
        Kubectl kubectl = new Kubectl(server.kubeconfig());
        assertThat(kubectl.run("get", "widgets", "-n", "team").assertOk().stdout()).containsPattern("survivor\\s+blue\\s+1");
        // no namespace controller runs: the namespace turns Terminating and refuses new widgets
        kubectl.run("delete", "namespace", "team", "--wait=false").assertOk();
        Files.writeString(widget, Files.readString(widget).replace("survivor", "latecomer"));
        assertThat(kubectl.run("apply", "-f", widget.toString()).stderr()).contains("because it is being terminated");
        assertThat(store.range(dev.skiff.storage.RangeRequest.prefix(
            dev.skiff.storage.Bytes.of("/registry/example.com/widgets/team/"))).kvs()).hasSize(1);
      }
    }
  }
}
