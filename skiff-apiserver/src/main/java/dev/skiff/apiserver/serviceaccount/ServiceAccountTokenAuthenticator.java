package dev.skiff.apiserver.serviceaccount;

import dev.skiff.apiserver.api.ObjectMeta;
import dev.skiff.apiserver.authn.AuthenticationResult;
import dev.skiff.apiserver.authn.Authenticator;
import dev.skiff.apiserver.authn.Credentials;
import dev.skiff.apiserver.authn.UserInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authenticates service account tokens, as upstream's service account authenticator: a token of
 * this issuer, signed by the cluster's key, for one of the API's audiences, not expired, whose
 * ServiceAccount (and bound Pod or Secret) still exists with the uid the token names. The user is
 * {@code system:serviceaccount:NS:NAME} in groups {@code system:serviceaccounts} and
 * {@code system:serviceaccounts:NS}.
 */
public final class ServiceAccountTokenAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountTokenAuthenticator.class);
  private final ServiceAccountTokens tokens;
  private final ClusterObjects objects;
  private final List<String> apiAudiences;

  public ServiceAccountTokenAuthenticator(ServiceAccountTokens tokens, ClusterObjects objects, List<String> apiAudiences) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.apiAudiences = List.copyOf(apiAudiences);
  }

  @Override
  public AuthenticationResult authenticate(Credentials credentials) {
    if (credentials.bearerToken().isEmpty()) {
      return new AuthenticationResult.NoCredentials();
    }
    return switch (tokens.verify(credentials.bearerToken().get(), apiAudiences)) {
      case ServiceAccountTokens.Verdict.NotOurs n -> new AuthenticationResult.NoCredentials();
      case ServiceAccountTokens.Verdict.Invalid i -> rejected(i.reason());
      case ServiceAccountTokens.Verdict.Valid v -> checkObjects(v.claims());
    };
  }

  private AuthenticationResult checkObjects(ServiceAccountTokens.Claims claims) {
    Optional<ObjectNode> account = objects.find("ServiceAccount", claims.namespace(), claims.serviceAccount());
    if (account.isEmpty()) {
      return rejected("service account %s/%s has been deleted".formatted(claims.namespace(), claims.serviceAccount()));
    }
    if (!ObjectMeta.uid(account.get()).equals(claims.serviceAccountUid())) {
      return rejected("service account uid (%s) does not match claim (%s)"
          .formatted(ObjectMeta.uid(account.get()), claims.serviceAccountUid()));
    }
    if (claims.bound().isPresent()) {
      ServiceAccountTokens.BoundObject bound = claims.bound().get();
      Optional<ObjectNode> obj = objects.find(bound.kind(), claims.namespace(), bound.name());
      if (obj.isEmpty()) {
        return rejected("%s %s/%s has been deleted".formatted(bound.kind().toLowerCase(java.util.Locale.ROOT),
            claims.namespace(), bound.name()));
      }
      if (!ObjectMeta.uid(obj.get()).equals(bound.uid())) {
        return rejected("%s uid (%s) does not match claim (%s)".formatted(bound.kind().toLowerCase(java.util.Locale.ROOT),
            ObjectMeta.uid(obj.get()), bound.uid()));
      }
    }
    return new AuthenticationResult.Authenticated(new UserInfo(claims.subject(), claims.serviceAccountUid(),
        List.of("system:serviceaccounts", "system:serviceaccounts:" + claims.namespace())));
  }

  private static AuthenticationResult rejected(String reason) {
    LOG.debug("service account token rejected: {}", reason);
    return new AuthenticationResult.Rejected(reason);
  }
}
