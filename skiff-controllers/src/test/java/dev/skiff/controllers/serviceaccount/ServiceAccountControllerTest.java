package dev.skiff.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.rootcacertpublisher.RootCaCertPublisher;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The default ServiceAccount and the kube-root-ca.crt ConfigMap in every namespace, restored when removed. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServiceAccountControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir, Set.of(ServiceAccountController.NAME, RootCaCertPublisher.NAME));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  ServiceAccount defaultAccount(String namespace) {
    return cluster.client.serviceAccounts().inNamespace(namespace).withName("default").get();
  }

  @Test
  void defaultServiceAccountAppearsAndComesBack() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(defaultAccount("kube-system")).isNotNull());
    cluster.kubectl.run("create", "namespace", "team").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(defaultAccount("team")).isNotNull());
    String firstUid = defaultAccount("team").getMetadata().getUid();
    cluster.kubectl.run("-n", "team", "delete", "serviceaccount", "default").assertOk();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ServiceAccount again = defaultAccount("team");
      assertThat(again).isNotNull();
      assertThat(again.getMetadata().getUid()).isNotEqualTo(firstUid);
    });
    assertThat(cluster.kubectl.run("-n", "team", "get", "serviceaccounts", "-o", "name").assertOk().stdout().strip())
        .isEqualTo("serviceaccount/default");
  }

  @Test
  void rootCaConfigMapHoldsTheClusterCaAndIsRestored() {
    // the admin kubeconfig's certificate-authority-data, as the client read it
    String ca = new String(Base64.getDecoder().decode(cluster.client.getConfiguration().getCaCertData()),
        StandardCharsets.UTF_8);
    assertThat(ca).startsWith("-----BEGIN CERTIFICATE-----");
    cluster.createNamespace("certs");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(caMap("certs")).isNotNull());
    assertThat(caMap("certs").getData()).isEqualTo(Map.of("ca.crt", ca));
    cluster.client.configMaps().inNamespace("certs").withName(RootCaCertPublisher.CONFIG_MAP).edit(cm -> {
      cm.setData(Map.of("ca.crt", "tampered"));
      return cm;
    });
    await().atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(caMap("certs").getData()).isEqualTo(Map.of("ca.crt", ca)));
    cluster.client.configMaps().inNamespace("certs").withName(RootCaCertPublisher.CONFIG_MAP).delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ConfigMap back = caMap("certs");
      assertThat(back).isNotNull();
      assertThat(back.getMetadata().getDeletionTimestamp()).isNull();
    });
  }

  ConfigMap caMap(String namespace) {
    return cluster.client.configMaps().inNamespace(namespace).withName(RootCaCertPublisher.CONFIG_MAP).get();
  }
}
