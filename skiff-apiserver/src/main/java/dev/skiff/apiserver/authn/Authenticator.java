package dev.skiff.apiserver.authn;

/**
 * Turns a request's credentials into a user. Implementations are thread-safe and do no I/O on
 * the request path beyond what they loaded at construction.
 */
public interface Authenticator {
  AuthenticationResult authenticate(Credentials credentials);
}
