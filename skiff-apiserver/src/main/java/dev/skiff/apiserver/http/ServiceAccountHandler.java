package dev.skiff.apiserver.http;

import dev.skiff.apiserver.api.StatusError;
import dev.skiff.apiserver.serviceaccount.IssuerDiscovery;
import dev.skiff.apiserver.serviceaccount.TokenRequests;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of service account tokens: {@code POST .../serviceaccounts/NAME/token} (a
 * TokenRequest) and the issuer discovery documents.
 */
public final class ServiceAccountHandler {
  private final TokenRequests tokenRequests;
  private final IssuerDiscovery discovery;

  public ServiceAccountHandler(TokenRequests tokenRequests, IssuerDiscovery discovery) {
    this.tokenRequests = Objects.requireNonNull(tokenRequests, "tokenRequests");
    this.discovery = Objects.requireNonNull(discovery, "discovery");
  }

  static boolean isTokenRequest(RequestInfo info) {
    return info.resourceRequest() && info.group().isEmpty() && info.resource().equals("serviceaccounts")
        && info.subresource().equals("token");
  }

  void createToken(Exchange ex, RequestInfo info) throws IOException {
    if (!info.verb().equals("create")) {
      throw StatusError.methodNotSupported("", "serviceaccounts/token", info.verb());
    }
    ObjectNode request = RequestBodies.object(ex.header("Content-Type"), ex.body());
    if (!request.path("kind").asString("TokenRequest").equals("TokenRequest")) {
      throw StatusError.badRequest("the body of a token request must be a TokenRequest, not " + request.path("kind").asString(""));
    }
    boolean dryRun = ex.query().getOrDefault("dryRun", List.of()).contains("All");
    ObjectNode out = tokenRequests.create(info.namespace(), info.name(), request, dryRun);
    OutputFormat format = OutputFormat.negotiate(ex.header("Accept"), false);
    ex.reply(201, format.contentType(), format.encode(out));
  }

  /** Serves a discovery document; false when {@code path} is not one. */
  boolean serveDiscovery(Exchange ex, String path) {
    byte[] doc = discovery.document(path);
    if (doc == null) {
      return false;
    }
    ex.reply(200, IssuerDiscovery.contentType(path), doc);
    return true;
  }
}
