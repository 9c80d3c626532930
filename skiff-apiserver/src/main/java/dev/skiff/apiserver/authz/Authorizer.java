package dev.skiff.apiserver.authz;

/**
 * Decides whether a user may do what a request asks. Called once per request, after
 * authentication; implementations are thread-safe and fast (no I/O on the request path).
 * A request is served only on {@link Decision.Allow}.
 */
public interface Authorizer {
  Decision authorize(AuthorizationAttributes attributes);
}
