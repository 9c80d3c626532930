package dev.skiff.apiserver.authz;

import java.util.Set;

/**
 * Allows every authenticated user everything, and anonymous users only the public health and
 * version endpoints that upstream's {@code system:public-info-viewer} role grants to
 * {@code system:unauthenticated}. The stand-in until RBAC exists.
 */
public final class AllowAuthenticated implements Authorizer {
  /** The non-resource paths anyone may read, as upstream's default RBAC. */
  public static final Set<String> PUBLIC_PATHS = Set.of("/healthz", "/livez", "/readyz", "/version");

  @Override
  public Decision authorize(AuthorizationAttributes a) {
    if (!a.user().isAnonymous()) {
      return new Decision.Allow();
    }
    if (!a.resourceRequest() && a.verb().equals("get") && isPublic(a.path())) {
      return new Decision.Allow();
    }
    return new Decision.NoOpinion("anonymous requests are not allowed");
  }

  public static boolean isPublic(String path) {
    for (String p : PUBLIC_PATHS) {
      if (path.equals(p) || path.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }
}
