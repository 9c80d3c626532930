package dev.skiff.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.registry.AdmissionPlugins;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjectionBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet's tokens for projected serviceAccountToken sources, against a real in-process API
 * server: bound to the pod, valid for the account, reused until they get old, per audience.
 */
class ServiceAccountTokenSourceTest {
  @TempDir Path dir;
  private Store store;
  private ApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    store = SqliteStore.open(dir.resolve("state.db"));
    server = new ApiServer(new ApiServerConfig(dir.resolve("api"), "127.0.0.1", 0, store, null, null,
        Duration.ofMinutes(1), null, AdmissionPlugins.all()));
    server.start();
    client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
    client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder()
        .withNewMetadata().withName("default").endMetadata().build()).create();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
    store.close();
  }

  private Pod pod(String name) {
    return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .build()).create();
  }

  private static ServiceAccountTokenProjection projection(String audience, long seconds, String path) {
    return new ServiceAccountTokenProjectionBuilder().withAudience(audience).withExpirationSeconds(seconds)
        .withPath(path).build();
  }

  private TokenReview review(String token) {
    return client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build()).create();
  }

  @Test
  void tokensAreBoundToThePodAndReusedUntilTheyAgeOrThePodGoes() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    InstantSource clock = now::get;
    var source = new ServiceAccountTokenSource(client, clock);
    Pod pod = pod("web");
    var projection = projection(null, 3607L, "token");

    String first = new String(source.token(pod, projection), StandardCharsets.UTF_8);
    TokenReview review = review(first);
    assertThat(review.getStatus().getAuthenticated()).isTrue();
    assertThat(review.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:default:default");
    String claims = new String(Base64.getUrlDecoder().decode(first.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"pod\":{").contains(pod.getMetadata().getUid());

    assertThat(new String(source.token(pod, projection), StandardCharsets.UTF_8)).as("reused while young")
        .isEqualTo(first);
    now.set(now.get().plusSeconds(3000)); // past 80% of 3607 s
    String renewed = new String(source.token(pod, projection), StandardCharsets.UTF_8);
    assertThat(renewed).isNotEqualTo(first);

    source.forget(pod.getMetadata().getUid());
    assertThat(new String(source.token(pod, projection), StandardCharsets.UTF_8)).isNotEqualTo(renewed);
  }

  @Test
  void anotherAudienceGetsItsOwnTokenWhichTheApiDoesNotAccept() throws Exception {
    var source = new ServiceAccountTokenSource(client, InstantSource.system());
    Pod pod = pod("vault-client");
    String vault = new String(source.token(pod, projection("vault", 600L, "vault-token")),
        StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(vault.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"aud\":\"vault\"");
    assertThat(review(vault).getStatus().getAuthenticated()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void aMissingServiceAccountIsAVolumeError() throws Exception {
    var source = new ServiceAccountTokenSource(client, InstantSource.system());
    Pod pod = pod("orphan");
    pod.getSpec().setServiceAccountName("ghost");
    assertThatThrownBy(() -> source.token(pod, projection(null, 3600L, "token")))
        .isInstanceOf(VolumeError.class).hasMessageContaining("failed to fetch token");
  }
}
