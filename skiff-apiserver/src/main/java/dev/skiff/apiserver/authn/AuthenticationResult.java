package dev.skiff.apiserver.authn;

/** The outcome of one {@link Authenticator}. */
public sealed interface AuthenticationResult {
  /** The credentials prove this user. */
  record Authenticated(UserInfo user) implements AuthenticationResult {}

  /** This authenticator found no credentials of its kind; another may. */
  record NoCredentials() implements AuthenticationResult {}

  /** Credentials of this kind were presented and are not valid: the request is refused. */
  record Rejected(String reason) implements AuthenticationResult {}
}
