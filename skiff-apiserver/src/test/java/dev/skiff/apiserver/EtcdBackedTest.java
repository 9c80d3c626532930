package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.testkit.Kubectl;
import dev.skiff.storage.Store;
import dev.skiff.storage.etcd.EtcdStore;
import dev.skiff.testkit.EtcdProcess;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The same server over a real etcd (the {@code --datastore-endpoint} path): CRUD, lists and watches. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EtcdBackedTest {
  @TempDir Path dir;

  @Test
  void kubectlWorksOverEtcd() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start();
        Store store = EtcdStore.connect(etcd.endpoints());
        ApiServer server = new ApiServer(new ApiServerConfig(dir, "127.0.0.1", 0, store, null, null))) {
      server.start();
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      assertThat(kubectl.run("get", "namespaces", "-o", "name").assertOk().stdout()).contains("namespace/kube-system");
      kubectl.run("create", "configmap", "over-etcd", "--from-literal=a=b").assertOk();
      assertThat(kubectl.run("get", "cm", "over-etcd", "-o", "jsonpath={.data.a}").assertOk().stdout()).isEqualTo("b");

      ApiClient api = ApiClient.of(dir.resolve("tls"), server.port(), true);
      var watch = api.stream("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0&timeoutSeconds=10");
      Iterator<String> lines = watch.body().iterator();
      assertThat(lines.next()).contains("\"type\":\"ADDED\"", "over-etcd");
      kubectl.run("label", "cm", "over-etcd", "x=y").assertOk();
      assertThat(lines.next()).contains("\"type\":\"MODIFIED\"", "\"x\":\"y\"");
      watch.body().close();
      assertThat(kubectl.run("delete", "cm", "over-etcd").assertOk().stdout()).contains("deleted");
    }
  }
}
