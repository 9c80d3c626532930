package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.pki.CertificateAuthority;
import dev.skiff.apiserver.pki.Credential;
import dev.skiff.testkit.Kubectl;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A restart keeps objects, certificates and the kubeconfig; an extra client CA admits its users. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartAndClientCaTest {
  @TempDir Path dir;

  @Test
  void restartReusesStateAndCertificates() throws Exception {
    Path data = dir.resolve("data");
    int port;
    String kubeconfigBefore;
    try (Store store = SqliteStore.open(data.resolve("state.db"));
        ApiServer server = new ApiServer(new ApiServerConfig(data, "127.0.0.1", 0, store, null, null))) {
      server.start();
      port = server.port();
      new Kubectl(server.kubeconfig()).run("create", "configmap", "survivor", "--from-literal=a=b").assertOk();
      kubeconfigBefore = Files.readString(server.kubeconfig());
    }
    try (Store store = SqliteStore.open(data.resolve("state.db"));
        ApiServer server = new ApiServer(new ApiServerConfig(data, "127.0.0.1", port, store, null, null))) {
      server.start();
      assertThat(Files.readString(server.kubeconfig())).isEqualTo(kubeconfigBefore);
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      assertThat(kubectl.run("get", "configmap", "survivor", "-o", "jsonpath={.data.a}").assertOk().stdout()).isEqualTo("b");
      assertThat(kubectl.run("get", "namespaces", "-o", "name").assertOk().stdout().lines().count()).isEqualTo(4);
    }
  }

  @Test
  void usersOfAnExtraClientCaAreAuthenticated() throws Exception {
    CertificateAuthority extra = CertificateAuthority.createRoot("corp-ca");
    Path caFile = dir.resolve("client-ca.crt");
    Files.writeString(caFile, extra.credential().certificatePem());
    Credential carol = extra.issueClient("carol", List.of("engineers"));
    CertificateAuthority stranger = CertificateAuthority.createRoot("stranger-ca");
    Credential mallory = stranger.issueClient("mallory", List.of("system:masters"));
    Path data = dir.resolve("data2");
    try (Store store = SqliteStore.open(data.resolve("state.db"));
        ApiServer server = new ApiServer(new ApiServerConfig(data, "127.0.0.1", 0, store, null, caFile))) {
      server.start();
      Kubectl asCarol = kubectlWith(data, server.port(), "carol", carol);
      assertThat(asCarol.run("get", "namespaces", "-o", "name").assertOk().stdout()).contains("namespace/default");
      Kubectl.Result asMallory = kubectlWith(data, server.port(), "mallory", mallory).run("get", "namespaces");
      assertThat(asMallory.exitCode()).isNotZero();
    }
  }

  private Kubectl kubectlWith(Path data, int port, String name, Credential user) throws Exception {
    Base64.Encoder b64 = Base64.getEncoder();
    return Kubectl.forUser(dir.resolve(name + ".kubeconfig"), "https://127.0.0.1:" + port, data.resolve("tls/ca.crt"),
        "{client-certificate-data: %s, client-key-data: %s}".formatted(
            b64.encodeToString(user.certificatePem().getBytes()), b64.encodeToString(user.keyPem().getBytes())));
  }
}
