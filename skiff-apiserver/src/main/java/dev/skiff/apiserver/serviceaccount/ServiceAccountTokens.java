package dev.skiff.apiserver.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.skiff.apiserver.pki.ServiceAccountSigningKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs and checks service account tokens: JWTs (ES256) with upstream's claims, {@code iss}, {@code
 * sub = system:serviceaccount:NS:NAME}, {@code aud}, {@code exp/iat/nbf}, {@code jti}, and the
 * private {@code kubernetes.io} claim naming the namespace, the account and the object the token is
 * bound to. Checking here covers what the token itself proves; whether the account and bound object
 * still exist is {@link ServiceAccountTokenAuthenticator}'s job.
 */
public final class ServiceAccountTokens {
  /** The issuer, as k3s sets {@code --service-account-issuer}; also the API's default audience. */
  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  /** Clock skew tolerated on {@code exp} and {@code nbf}, as upstream's validator. */
  private static final Duration LEEWAY = Duration.ofSeconds(60);

  private final ServiceAccountSigningKey key;
  private final InstantSource clock;
  private final ECDSASigner signer;
  private final ECDSAVerifier verifier;

  public ServiceAccountTokens(ServiceAccountSigningKey key, InstantSource clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.signer = new ECDSASigner(key.privateKey());
      this.verifier = new ECDSAVerifier(key.publicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException("the service account key is not usable for ES256", e);
    }
  }

  public ServiceAccountSigningKey key() {
    return key;
  }

  /** An object a token is bound to: the token is valid only while it exists with this uid. */
  public record BoundObject(String kind, String name, String uid) {
    public BoundObject {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(uid, "uid");
    }
  }

  /**
   * What a token says.
   *
   * @param warnAfter for tokens whose lifetime was extended (the kubelet's 3607 s requests), when a
   *     client should have refreshed it; else empty
   * @param node the node of a pod-bound token's pod, when the pod was bound
   */
  public record Claims(String namespace, String serviceAccount, String serviceAccountUid, List<String> audiences,
      Instant issuedAt, Instant expires, Optional<BoundObject> bound, Optional<BoundObject> node,
      Optional<Instant> warnAfter) {
    public Claims {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(serviceAccount, "serviceAccount");
      Objects.requireNonNull(serviceAccountUid, "serviceAccountUid");
      audiences = List.copyOf(audiences);
      Objects.requireNonNull(bound, "bound");
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(warnAfter, "warnAfter");
    }

    public String subject() {
      return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }
  }

  /** Signs a token carrying {@code claims}. */
  public String issue(Claims claims) {
    Map<String, Object> k8s = new LinkedHashMap<>();
    k8s.put("namespace", claims.namespace());
    k8s.put("serviceaccount", Map.of("name", claims.serviceAccount(), "uid", claims.serviceAccountUid()));
    claims.bound().ifPresent(b -> k8s.put(b.kind().toLowerCase(java.util.Locale.ROOT), Map.of("name", b.name(), "uid", b.uid())));
    claims.node().ifPresent(n -> k8s.put("node", Map.of("name", n.name(), "uid", n.uid())));
    claims.warnAfter().ifPresent(w -> k8s.put("warnafter", w.getEpochSecond()));
    JWTClaimsSet set = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(claims.subject())
        .audience(claims.audiences())
        .issueTime(Date.from(claims.issuedAt()))
        .notBeforeTime(Date.from(claims.issuedAt()))
        .expirationTime(Date.from(claims.expires()))
        .jwtID(UUID.randomUUID().toString())
        .claim("kubernetes.io", k8s)
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.keyId()).build(), set);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a service account token failed", e);
    }
    return jwt.serialize();
  }

  /** The outcome of reading a bearer token. */
  public sealed interface Verdict {
    /** Not a token of this issuer: another authenticator may know it. */
    record NotOurs() implements Verdict {}

    /** One of ours, but not valid now. */
    record Invalid(String reason) implements Verdict {}

    record Valid(Claims claims) implements Verdict {}
  }

  /** Checks signature, issuer, time window and that one audience is in {@code acceptedAudiences}. */
  public Verdict verify(String token, List<String> acceptedAudiences) {
    SignedJWT jwt;
    JWTClaimsSet set;
    try {
      jwt = SignedJWT.parse(token);
      set = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new Verdict.NotOurs();
    }
    if (!ISSUER.equals(set.getIssuer())) {
      return new Verdict.NotOurs();
    }
    try {
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return new Verdict.Invalid("invalid signature");
      }
    } catch (JOSEException e) {
      return new Verdict.Invalid("invalid signature");
    }
    Instant now = clock.instant();
    if (set.getExpirationTime() == null || now.isAfter(set.getExpirationTime().toInstant().plus(LEEWAY))) {
      return new Verdict.Invalid("service account token has expired");
    }
    if (set.getNotBeforeTime() != null && now.plus(LEEWAY).isBefore(set.getNotBeforeTime().toInstant())) {
      return new Verdict.Invalid("service account token is not valid yet");
    }
    List<String> audiences = set.getAudience() == null ? List.of() : set.getAudience();
    if (audiences.stream().noneMatch(acceptedAudiences::contains)) {
      return new Verdict.Invalid("token audiences %s is invalid for the target audiences %s"
          .formatted(audiences, acceptedAudiences));
    }
    try {
      Map<String, Object> k8s = set.getJSONObjectClaim("kubernetes.io");
      if (k8s == null) {
        return new Verdict.Invalid("service account token claims are missing");
      }
      Map<?, ?> account = (Map<?, ?>) k8s.get("serviceaccount");
      String namespace = String.valueOf(k8s.get("namespace"));
      Optional<BoundObject> bound = Optional.empty();
      for (String kind : List.of("Pod", "Secret", "Node")) {
        if (k8s.get(kind.toLowerCase(java.util.Locale.ROOT)) instanceof Map<?, ?> ref && !"Node".equals(kind)) {
          bound = Optional.of(new BoundObject(kind, String.valueOf(ref.get("name")), String.valueOf(ref.get("uid"))));
        }
      }
      Optional<BoundObject> node = k8s.get("node") instanceof Map<?, ?> n
          ? Optional.of(new BoundObject("Node", String.valueOf(n.get("name")), String.valueOf(n.get("uid"))))
          : Optional.empty();
      if (bound.isEmpty() && node.isPresent()) {
        bound = node; // bound to the node itself
        node = Optional.empty();
      }
      Optional<Instant> warnAfter = k8s.get("warnafter") instanceof Number w
          ? Optional.of(Instant.ofEpochSecond(w.longValue())) : Optional.empty();
      if (account == null || !("system:serviceaccount:" + namespace + ":" + account.get("name")).equals(set.getSubject())) {
        return new Verdict.Invalid("service account token claims do not match the subject");
      }
      return new Verdict.Valid(new Claims(namespace, String.valueOf(account.get("name")),
          String.valueOf(account.get("uid")), audiences, set.getIssueTime().toInstant(),
          set.getExpirationTime().toInstant(), bound, node, warnAfter));
    } catch (ParseException | ClassCastException | NullPointerException e) {
      return new Verdict.Invalid("service account token claims are malformed");
    }
  }
}
