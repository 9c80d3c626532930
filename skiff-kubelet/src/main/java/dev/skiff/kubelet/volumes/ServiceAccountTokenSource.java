package dev.skiff.kubelet.volumes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens for projected {@code serviceAccountToken} sources, as upstream's kubelet token manager
 * gets them: a TokenRequest bound to the pod, kept and handed out again until 80% of its lifetime
 * has passed (or a day), so that the periodic volume refresh does not ask the API server each time.
 */
final class ServiceAccountTokenSource {
  private static final Duration MAX_AGE = Duration.ofHours(24);
  private static final long DEFAULT_EXPIRATION_SECONDS = 3600;

  private record Key(String podUid, String namespace, String account, String audience, long seconds) {}

  private record Issued(String token, Instant issuedAt, Instant expires) {
    boolean needsRefresh(Instant now) {
      Duration ttl = Duration.between(issuedAt, expires);
      return now.isAfter(expires.minus(ttl.dividedBy(5))) || now.isAfter(issuedAt.plus(MAX_AGE));
    }
  }

  private final KubernetesClient client;
  private final InstantSource clock;
  private final Map<Key, Issued> tokens = new ConcurrentHashMap<>();

  ServiceAccountTokenSource(KubernetesClient client, InstantSource clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The token for {@code source} in {@code pod}, fetched when there is none or it is getting old. */
  byte[] token(Pod pod, ServiceAccountTokenProjection source) throws VolumeError {
    var meta = pod.getMetadata();
    String account = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isEmpty()
        ? "default" : pod.getSpec().getServiceAccountName();
    String audience = source.getAudience() == null ? "" : source.getAudience();
    long seconds = source.getExpirationSeconds() == null ? DEFAULT_EXPIRATION_SECONDS : source.getExpirationSeconds();
    Key key = new Key(meta.getUid(), meta.getNamespace(), account, audience, seconds);
    Instant now = clock.instant();
    tokens.values().removeIf(t -> now.isAfter(t.expires()));
    Issued issued = tokens.get(key);
    if (issued == null || issued.needsRefresh(now)) {
      issued = request(pod, key, now);
      tokens.put(key, issued);
    }
    return issued.token().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Forgets the tokens of a pod that is gone. */
  void forget(String podUid) {
    tokens.keySet().removeIf(k -> k.podUid().equals(podUid));
  }

  private Issued request(Pod pod, Key key, Instant now) throws VolumeError {
    TokenRequest request = new TokenRequestBuilder()
        .withNewSpec()
        .withAudiences(key.audience().isEmpty() ? List.of() : List.of(key.audience()))
        .withExpirationSeconds(key.seconds())
        .withNewBoundObjectRef("v1", "Pod", pod.getMetadata().getName(), pod.getMetadata().getUid())
        .endSpec()
        .build();
    try {
      TokenRequest answer = client.serviceAccounts().inNamespace(key.namespace()).withName(key.account())
          .tokenRequest(request);
      String token = answer.getStatus() == null ? null : answer.getStatus().getToken();
      if (token == null || token.isEmpty()) {
        throw new VolumeError("failed to fetch token: the API server returned no token for service account "
            + key.account());
      }
      Instant expires = answer.getStatus().getExpirationTimestamp() == null
          ? now.plusSeconds(key.seconds()) : Instant.parse(answer.getStatus().getExpirationTimestamp());
      return new Issued(token, now, expires);
    } catch (KubernetesClientException e) {
      throw new VolumeError("failed to fetch token: " + e.getMessage());
    }
  }
}
