package dev.skiff.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.skiff.apiserver.json.Json;
import dev.skiff.apiserver.registry.AdmissionPlugins;
import dev.skiff.apiserver.testing.ApiClient;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import dev.skiff.testkit.Kubectl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Service account tokens end to end with the real kubectl: TokenRequest ({@code kubectl create
 * token}), authentication with the token, binding to a pod, rejection once the account or pod is
 * gone, issuer discovery, a restart keeping the signing key, and the ServiceAccount admission plugin
 * on pods.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceAccountTokenTest {
  @TempDir Path dir;

  private ApiServer start(Path data, Store store, int port) throws Exception {
    ApiServer server = new ApiServer(new ApiServerConfig(data, "127.0.0.1", port, store, null, null,
        Duration.ofMinutes(1), null, AdmissionPlugins.all()));
    server.start();
    return server;
  }

  @Test
  void tokensAuthenticateTheirAccountUntilItOrItsPodIsGone() throws Exception {
    Path data = dir.resolve("data");
    try (Store store = SqliteStore.open(data.resolve("state.db")); ApiServer server = start(data, store, 0)) {
      Kubectl admin = new Kubectl(server.kubeconfig());
      admin.run("create", "namespace", "team").assertOk();
      admin.run("-n", "team", "create", "serviceaccount", "builder").assertOk();

      String token = admin.run("-n", "team", "create", "token", "builder").assertOk().stdout().strip();
      Kubectl asBuilder = withToken(data, server.port(), token);
      assertThat(asBuilder.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").assertOk().stdout())
          .isEqualTo("system:serviceaccount:team:builder");
      assertThat(asBuilder.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.groups}").assertOk().stdout())
          .contains("system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated");

      // the claims are upstream's
      JsonNode claims = Json.parse(SignedJWT.parse(token).getPayload().toBytes());
      assertThat(claims.path("iss").asString()).isEqualTo("https://kubernetes.default.svc.cluster.local");
      assertThat(claims.path("sub").asString()).isEqualTo("system:serviceaccount:team:builder");
      assertThat(claims.path("kubernetes.io").path("namespace").asString()).isEqualTo("team");
      assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);

      // a pod-bound token dies with its pod
      admin.run("-n", "team", "run", "worker", "--image=busybox", "--overrides",
          "{\"spec\":{\"serviceAccountName\":\"builder\"}}").assertOk();
      String bound = admin.run("-n", "team", "create", "token", "builder", "--bound-object-kind", "Pod",
          "--bound-object-name", "worker").assertOk().stdout().strip();
      Kubectl asWorker = withToken(data, server.port(), bound);
      asWorker.run("get", "namespaces").assertOk();
      admin.run("-n", "team", "delete", "pod", "worker", "--grace-period=0", "--force", "--wait=false").assertOk();
      awaitRejected(asWorker);

      // too short a lifetime is refused with upstream's message
      Kubectl.Result tooShort = admin.run("-n", "team", "create", "token", "builder", "--duration", "5m");
      assertThat(tooShort.exitCode()).isNotZero();
      assertThat(tooShort.stderr()).contains("may not specify a duration less than 10 minutes");
      assertThat(admin.run("-n", "team", "create", "token", "nobody").stderr())
          .contains("serviceaccounts \"nobody\" not found");

      // deleting the account ends its tokens
      admin.run("-n", "team", "delete", "serviceaccount", "builder").assertOk();
      awaitRejected(asBuilder);
    }
  }

  @Test
  void issuerDiscoveryPublishesTheKeyThatSignsTokensAndARestartKeepsIt() throws Exception {
    Path data = dir.resolve("data2");
    String token;
    int port;
    String kid;
    try (Store store = SqliteStore.open(data.resolve("state.db")); ApiServer server = start(data, store, 0)) {
      port = server.port();
      Kubectl admin = new Kubectl(server.kubeconfig());
      admin.run("create", "serviceaccount", "ci").assertOk();
      token = admin.run("create", "token", "ci", "--duration", "2h").assertOk().stdout().strip();
      ApiClient client = ApiClient.of(data.resolve("tls"), port, true);
      var config = client.get("/.well-known/openid-configuration");
      assertThat(config.statusCode()).isEqualTo(200);
      JsonNode doc = Json.parse(config.body().getBytes(StandardCharsets.UTF_8));
      assertThat(doc.path("issuer").asString()).isEqualTo("https://kubernetes.default.svc.cluster.local");
      assertThat(doc.path("jwks_uri").asString()).endsWith("/openid/v1/jwks");
      var keys = client.get("/openid/v1/jwks");
      assertThat(keys.statusCode()).isEqualTo(200);
      assertThat(keys.headers().firstValue("Content-Type").orElse("")).startsWith("application/jwk-set+json");
      SignedJWT jwt = SignedJWT.parse(token);
      ECKey key = (ECKey) JWKSet.parse(keys.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
      assertThat(key).as("the token's kid is published").isNotNull();
      assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
      kid = jwt.getHeader().getKeyID();
      assertThat(ApiClient.of(data.resolve("tls"), port, false).get("/openid/v1/jwks").statusCode())
          .as("no anonymous access").isEqualTo(401);
    }
    try (Store store = SqliteStore.open(data.resolve("state.db")); ApiServer server = start(data, store, port)) {
      assertThat(withToken(data, port, token).run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}")
          .assertOk().stdout()).isEqualTo("system:serviceaccount:default:ci");
      Kubectl admin = new Kubectl(server.kubeconfig());
      String again = admin.run("create", "token", "ci").assertOk().stdout().strip();
      assertThat(SignedJWT.parse(again).getHeader().getKeyID()).isEqualTo(kid);
    }
  }

  @Test
  void podsGetTheirAccountsTokenVolumeUnlessTheyOptOut() throws Exception {
    Path data = dir.resolve("data3");
    try (Store store = SqliteStore.open(data.resolve("state.db")); ApiServer server = start(data, store, 0)) {
      Kubectl admin = new Kubectl(server.kubeconfig());
      admin.run("create", "namespace", "fresh").assertOk();
      Kubectl.Result refused = admin.run("-n", "fresh", "run", "early", "--image=busybox");
      assertThat(refused.exitCode()).isNotZero();
      assertThat(refused.stderr()).contains("pods \"early\" is forbidden: error looking up service account "
          + "fresh/default: serviceaccount \"default\" not found");

      admin.run("-n", "fresh", "create", "serviceaccount", "default").assertOk();
      Path manifest = dir.resolve("pod.yaml");
      Files.writeString(manifest, """
          apiVersion: v1
          kind: Pod
          metadata: {name: two, namespace: fresh}
          spec:
            initContainers: [{name: init, image: busybox}]
            containers:
            - {name: a, image: busybox}
            - name: b
              image: busybox
              volumeMounts: [{name: own, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
            volumes: [{name: own, emptyDir: {}}]
          """);
      admin.run("apply", "-f", manifest.toString()).assertOk();
      JsonNode pod = Json.parse(admin.run("-n", "fresh", "get", "pod", "two", "-o", "json").assertOk().stdout()
          .getBytes(StandardCharsets.UTF_8));
      JsonNode volume = pod.path("spec").path("volumes").get(1);
      String name = volume.path("name").asString();
      assertThat(name).matches("kube-api-access-[a-z0-9]{5}");
      JsonNode sources = volume.path("projected").path("sources");
      assertThat(sources.get(0).path("serviceAccountToken").path("expirationSeconds").asInt()).isEqualTo(3607);
      assertThat(sources.get(1).path("configMap").path("name").asString()).isEqualTo("kube-root-ca.crt");
      assertThat(sources.get(2).path("downwardAPI").path("items").get(0).path("fieldRef").path("fieldPath").asString())
          .isEqualTo("metadata.namespace");
      assertThat(mountNames(pod.path("spec").path("initContainers").get(0))).containsExactly(name);
      assertThat(mountNames(pod.path("spec").path("containers").get(0))).containsExactly(name);
      assertThat(mountNames(pod.path("spec").path("containers").get(1))).as("its own mount there wins").containsExactly("own");

      admin.run("-n", "fresh", "create", "serviceaccount", "quiet").assertOk();
      admin.run("-n", "fresh", "patch", "serviceaccount", "quiet", "-p", "{\"automountServiceAccountToken\":false}")
          .assertOk();
      admin.run("-n", "fresh", "run", "optout", "--image=busybox", "--overrides",
          "{\"spec\":{\"serviceAccountName\":\"quiet\"}}").assertOk();
      assertThat(admin.run("-n", "fresh", "get", "pod", "optout", "-o", "jsonpath={.spec.volumes}").assertOk().stdout())
          .isEmpty();
    }
  }

  private static java.util.List<String> mountNames(JsonNode container) {
    java.util.List<String> out = new java.util.ArrayList<>();
    container.path("volumeMounts").forEach(m -> out.add(m.path("name").asString()));
    return out;
  }

  private static void awaitRejected(Kubectl kubectl) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Kubectl.Result r;
    do {
      r = kubectl.run("get", "namespaces");
      if (r.exitCode() != 0) {
        assertThat(r.stderr()).contains("Unauthorized");
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the token still authenticates: " + r.stdout());
  }

  /** A kubectl with only a bearer token (no client certificate), trusting the cluster CA. */
  private Kubectl withToken(Path data, int port, String token) throws Exception {
    return Kubectl.forUser(Files.createTempFile(dir, "token", ".kubeconfig"), "https://127.0.0.1:" + port,
        data.resolve("tls/ca.crt"), "{token: \"%s\"}".formatted(token));
  }
}
