package dev.skiff.apiserver.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.authn.AuthenticationResult;
import dev.skiff.apiserver.authn.Authenticator;
import dev.skiff.apiserver.authn.Credentials;
import dev.skiff.apiserver.authn.UserInfo;
import dev.skiff.apiserver.pki.ServiceAccountSigningKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authenticates legacy service account tokens, the never-expiring JWTs of issuer
 * {@code kubernetes/serviceaccount} that the token controller writes into Secrets of type
 * {@code kubernetes.io/service-account-token}. As upstream's legacy validator, such a token is valid
 * only while its Secret exists (not being deleted, not labelled invalid) and still holds exactly this
 * token, and while the account exists with the uid the token names.
 */
public final class LegacyServiceAccountTokenAuthenticator implements Authenticator {
  public static final String ISSUER = "kubernetes/serviceaccount";
  private static final String CLAIM = "kubernetes.io/serviceaccount/";
  /** Upstream's label that invalidates a legacy token Secret from that date on. */
  private static final String INVALID_SINCE = "kubernetes.io/legacy-token-invalid-since";
  private static final Logger LOG = LoggerFactory.getLogger(LegacyServiceAccountTokenAuthenticator.class);

  private final ECDSAVerifier verifier;
  private final ClusterObjects objects;

  public LegacyServiceAccountTokenAuthenticator(ServiceAccountSigningKey key, ClusterObjects objects) {
    this.objects = Objects.requireNonNull(objects, "objects");
    try {
      this.verifier = new ECDSAVerifier(key.publicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException("the service account key is not usable for ES256", e);
    }
  }

  @Override
  public AuthenticationResult authenticate(Credentials credentials) {
    if (credentials.bearerToken().isEmpty()) {
      return new AuthenticationResult.NoCredentials();
    }
    String token = credentials.bearerToken().get();
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new AuthenticationResult.NoCredentials();
    }
    if (!ISSUER.equals(claims.getIssuer())) {
      return new AuthenticationResult.NoCredentials();
    }
    try {
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return rejected("invalid signature");
      }
    } catch (JOSEException e) {
      return rejected("invalid signature");
    }
    String namespace = claim(claims, "namespace");
    String account = claim(claims, "service-account.name");
    String accountUid = claim(claims, "service-account.uid");
    String secretName = claim(claims, "secret.name");
    if (namespace.isEmpty() || account.isEmpty() || accountUid.isEmpty() || secretName.isEmpty()) {
      return rejected("service account token claims are missing");
    }
    String subject = "system:serviceaccount:" + namespace + ":" + account;
    if (!subject.equals(claims.getSubject())) {
      return rejected("service account token claims do not match the subject");
    }
    Optional<ObjectNode> secret = objects.find("Secret", namespace, secretName);
    if (secret.isEmpty() || !secret.get().path("metadata").path("deletionTimestamp").isMissingNode()
        || secret.get().path("metadata").path("labels").has(INVALID_SINCE)) {
      return rejected("service account token has been invalidated");
    }
    JsonNode stored = secret.get().path("data").path("token");
    if (!stored.isString() || !token.equals(decode(stored.stringValue()))) {
      return rejected("service account token does not match the secret");
    }
    Optional<ObjectNode> sa = objects.find("ServiceAccount", namespace, account);
    if (sa.isEmpty() || !sa.get().path("metadata").path("deletionTimestamp").isMissingNode()) {
      return rejected("service account token has been invalidated");
    }
    if (!ObjectMeta.uid(sa.get()).equals(accountUid)) {
      return rejected("service account uid (%s) does not match claim (%s)".formatted(ObjectMeta.uid(sa.get()), accountUid));
    }
    return new AuthenticationResult.Authenticated(new UserInfo(subject, accountUid,
        List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace)));
  }

  private static String claim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(CLAIM + name);
    return value instanceof String s ? s : "";
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static AuthenticationResult rejected(String reason) {
    LOG.debug("legacy service account token rejected: {}", reason);
    return new AuthenticationResult.Rejected(reason);
  }
}
