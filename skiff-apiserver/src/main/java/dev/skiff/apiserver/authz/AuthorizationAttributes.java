package dev.skiff.apiserver.authz;

import dev.skiff.apiserver.authn.UserInfo;
import java.util.Objects;

/**
 * What a request asks to do, as upstream's {@code authorizer.Attributes}: either a resource
 * request (verb on group/resource/subresource, in a namespace, by name) or a non-resource request
 * (verb on a path such as {@code /healthz}).
 *
 * @param user who asks
 * @param verb the Kubernetes verb ({@code get}, {@code list}, {@code watch}, {@code create}, ...)
 *     for resource requests, or the lower-case HTTP method for non-resource requests
 * @param resourceRequest whether this is a request for an API resource
 * @param path the request path (for non-resource requests)
 */
public record AuthorizationAttributes(
    UserInfo user,
    String verb,
    boolean resourceRequest,
    String group,
    String version,
    String resource,
    String subresource,
    String namespace,
    String name,
    String path) {
  public AuthorizationAttributes {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(path, "path");
  }
}
