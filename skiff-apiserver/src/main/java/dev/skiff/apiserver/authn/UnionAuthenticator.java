package dev.skiff.apiserver.authn;

import java.util.List;

/**
 * Asks each authenticator in turn, as upstream's union authenticator: the first that
 * authenticates wins, a rejection is remembered, and only when none authenticated is the request
 * rejected (or found to carry no credentials at all).
 */
public final class UnionAuthenticator implements Authenticator {
  private final List<Authenticator> delegates;

  public UnionAuthenticator(List<Authenticator> delegates) {
    this.delegates = List.copyOf(delegates);
  }

  @Override
  public AuthenticationResult authenticate(Credentials credentials) {
    AuthenticationResult.Rejected rejected = null;
    for (Authenticator a : delegates) {
      switch (a.authenticate(credentials)) {
        case AuthenticationResult.Authenticated ok -> {
          return new AuthenticationResult.Authenticated(ok.user().authenticated());
        }
        case AuthenticationResult.Rejected r -> rejected = rejected == null ? r : rejected;
        case AuthenticationResult.NoCredentials n -> {}
      }
    }
    return rejected != null ? rejected : new AuthenticationResult.NoCredentials();
  }
}
