package dev.skiff.controllers.serviceaccounttoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.controllers.testing.TestCluster;
import dev.skiff.testkit.Kubectl;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy token Secrets end to end: the controller fills them with a token the API server accepts
 * (checked with the real kubectl), the token stops working when its Secret no longer holds it, and
 * Secrets whose account is gone are deleted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TokensControllerTest {
  @TempDir static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    // the API server makes its signing key at start, under DATA/tls, before the manager reads it
    cluster = new TestCluster(dir, Set.of(TokensController.NAME),
        c -> c.withServiceAccountKeyFile(dir.resolve("data/tls/service-account.key")));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void tokenSecretIsFilledAndAuthenticatesItsAccount() throws Exception {
    cluster.createNamespace("legacy");
    ServiceAccount robot = createAccount("legacy", "robot");
    createTokenSecret("legacy", "robot-token", "robot");

    Secret filled = awaitFilled("legacy", "robot-token");
    assertThat(decode(filled.getData().get("namespace"))).isEqualTo("legacy");
    assertThat(decode(filled.getData().get("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(filled.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/service-account.uid", robot.getMetadata().getUid());
    String token = decode(filled.getData().get("token"));
    Kubectl asRobot = withToken(token);
    assertThat(asRobot.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").assertOk().stdout())
        .isEqualTo("system:serviceaccount:legacy:robot");
    assertThat(asRobot.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.groups}").assertOk().stdout())
        .contains("system:serviceaccounts:legacy");

    // a token is good only while its Secret holds it
    cluster.client.secrets().inNamespace("legacy").withName("robot-token").edit(s -> {
      Map<String, String> data = new HashMap<>(s.getData());
      data.put("token", Base64.getEncoder().encodeToString("replaced".getBytes(StandardCharsets.UTF_8)));
      s.setData(data);
      return s;
    });
    Kubectl.Result refused = asRobot.run("auth", "whoami");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("Unauthorized");
  }

  @Test
  void secretsOfDeletedOrMissingAccountsAreDeleted() {
    cluster.createNamespace("gone");
    createAccount("gone", "temp");
    createTokenSecret("gone", "temp-token", "temp");
    String token = decode(awaitFilled("gone", "temp-token").getData().get("token"));
    assertThat(withToken(token).run("auth", "whoami").exitCode()).isZero();

    cluster.client.serviceAccounts().inNamespace("gone").withName("temp").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.client.secrets().inNamespace("gone").withName("temp-token").get()).isNull());
    assertThat(withToken(token).run("auth", "whoami").exitCode()).isNotZero();

    // a Secret naming an account that never existed goes too, as upstream
    createTokenSecret("gone", "orphan-token", "nobody");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.client.secrets().inNamespace("gone").withName("orphan-token").get()).isNull());
    // other Secrets are not the controller's business
    cluster.client.secrets().inNamespace("gone").resource(new SecretBuilder().withNewMetadata().withName("plain")
        .endMetadata().withStringData(Map.of("k", "v")).build()).create();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(cluster.client.secrets().inNamespace("gone").withName("plain").get().getData()).containsOnlyKeys("k"));
  }

  private static ServiceAccount createAccount(String namespace, String name) {
    return cluster.client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
        .withNewMetadata().withName(name).endMetadata().build()).create();
  }

  private static void createTokenSecret(String namespace, String name, String account) {
    cluster.client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
        .withAnnotations(Map.of("kubernetes.io/service-account.name", account)).endMetadata()
        .withType("kubernetes.io/service-account-token").build()).create();
  }

  private static Secret awaitFilled(String namespace, String name) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Secret s = cluster.client.secrets().inNamespace(namespace).withName(name).get();
      assertThat(s.getData()).containsKeys("token", "ca.crt", "namespace");
    });
    return cluster.client.secrets().inNamespace(namespace).withName(name).get();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** kubectl as the holder of {@code token} alone, trusting the cluster CA. */
  private static Kubectl withToken(String token) {
    try {
      return Kubectl.forUser(Files.createTempFile(dir, "token", ".kubeconfig"),
          cluster.client.getConfiguration().getMasterUrl(), dir.resolve("data/tls/ca.crt"),
          "{token: \"%s\"}".formatted(token));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
