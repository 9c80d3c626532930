package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.testing.Kubectl;
import dev.skiff.apiserver.testing.MemoryStore;
import dev.skiff.storage.Store;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against an in-process ApiServer. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KubectlTest {
  @TempDir static Path dir;
  static Store store;
  static ApiServer server;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    store = new MemoryStore();
    server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null));
    server.start();
    kubectl = new Kubectl(server.kubeconfig());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void version() {
    Kubectl.Result r = kubectl.run("version").assertOk();
    assertThat(r.stdout()).contains("Server Version: v1.32.0+skiff");
  }

  @Test
  void apiResources() {
    Kubectl.Result r = kubectl.run("api-resources").assertOk();
    assertThat(r.stdout()).containsPattern("configmaps\\s+cm\\s+v1\\s+true\\s+ConfigMap");
    assertThat(r.stdout()).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
  }

  @Test
  void namespacesAndConfigMaps() {
    kubectl.run("create", "namespace", "team-a").assertOk();
    assertThat(kubectl.run("get", "namespaces").assertOk().stdout())
        .containsPattern("team-a\\s+Active\\s+\\d+s").contains("kube-system");
    kubectl.run("-n", "team-a", "create", "configmap", "settings", "--from-literal=color=blue",
        "--from-literal=size=2").assertOk();
    String yaml = kubectl.run("-n", "team-a", "get", "configmap", "settings", "-o", "yaml").assertOk().stdout();
    assertThat(yaml).contains("color: blue").contains("name: settings").contains("namespace: team-a")
        .containsPattern("resourceVersion: \"\\d+\"").containsPattern("uid: [0-9a-f-]{36}");
    assertThat(kubectl.run("-n", "team-a", "get", "cm").assertOk().stdout())
        .containsPattern("NAME\\s+DATA\\s+AGE").containsPattern("settings\\s+2\\s+\\d+s");
  }
}
